"""LLM Playground: watch a real small language model think."""

__version__ = "0.1.0"
