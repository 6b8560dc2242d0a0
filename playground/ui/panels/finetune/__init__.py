"""The Fine-tune panel: teach the model some examples, watch the loss fall, see what changed."""
