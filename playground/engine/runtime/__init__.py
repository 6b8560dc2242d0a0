"""A bundle opened and run: the loaded model, its results and buffers, attention maps."""
