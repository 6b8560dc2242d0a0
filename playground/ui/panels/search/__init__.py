"""The Search panel: semantic search and retrieval-augmented answers."""
