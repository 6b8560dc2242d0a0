"""The tokenization panel: the prompt as the model reads it, token by token."""
