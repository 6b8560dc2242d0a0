"""The logit lens panel: the prediction read out of every layer."""
