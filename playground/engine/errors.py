"""Errors the engine raises with a message meant for people, not tracebacks."""


class PlaygroundError(Exception):
    """Base class: the message says what went wrong and, where it helps, what to do."""


class ModelFileError(PlaygroundError):
    """A model file (GGUF, bundle, ONNX graph) is missing, damaged or unsupported."""


class UnsupportedModelError(ModelFileError):
    """The file is readable but describes a model this converter cannot handle."""


class FetchError(PlaygroundError):
    """Downloading or verifying a catalog model failed."""


class Cancelled(PlaygroundError):
    """Long work (fetch, conversion) was cancelled by the caller."""


class StoreError(PlaygroundError):
    """The model store cannot be used: it is a file, or cannot be created or written."""
