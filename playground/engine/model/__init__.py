"""A model on disk: GGUF files read, ONNX graphs built, bundles converted and read back."""
