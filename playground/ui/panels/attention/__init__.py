"""The attention panel: the all-layers overview, one head in detail, head statistics."""
