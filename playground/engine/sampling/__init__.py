"""From logits to tokens: the sampler's distribution and the generation loop."""
