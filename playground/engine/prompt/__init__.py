"""What the model reads: the chat template and the (possibly cut) prompt."""
