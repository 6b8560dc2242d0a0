"""The next-token panel: the distribution under the sampler's settings."""
