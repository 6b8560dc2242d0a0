"""One file of weights that the graphs of a bundle write their large constants into while
they are being built, instead of holding them in memory until the graph is saved.

A constant written once is referenced by every graph that asks for the same one: the
analysis graph of a big model multiplies the same blocks as the decoding graph, and the
bundle then holds them once. Offsets are page-aligned, so a reader can map any tensor
straight from the file (bundle_weights.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

SMALL = 1024  # bytes: smaller constants stay inside the graph file
ALIGN = 4096  # each tensor starts on a page


class WeightsFile:
    """The external-data file `path` (named `location` in the graphs), open for writing."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = open(self.path, "wb")  # noqa: SIM115 (closed by close(), or on error)
        self._written: dict[str, tuple[int, np.dtype, tuple[int, ...]]] = {}

    def tensor(self, name: str, array: np.ndarray) -> onnx.TensorProto:
        """`array` as the initializer `name`: in the graph if small, else in this file
        (once, for every graph that asks with the same name and the same values)."""
        if array.nbytes < SMALL:
            return numpy_helper.from_array(array, name)
        array = np.ascontiguousarray(array)  # (not for scalars: it makes them (1,))
        offset = self._offset_of(name, array)
        if offset is None:
            offset = self._append(array)
            self._written[name] = (offset, array.dtype, array.shape)
        tensor = onnx.TensorProto(name=name, data_type=helper.np_dtype_to_tensor_dtype(array.dtype))
        tensor.dims.extend(array.shape)
        tensor.data_location = onnx.TensorProto.EXTERNAL
        for key, value in (
            ("location", self.path.name),
            ("offset", str(offset)),
            ("length", str(array.nbytes)),
        ):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        return tensor

    def _offset_of(self, name: str, array: np.ndarray) -> int | None:
        """Where an equal tensor of this name already lies in the file, if one does."""
        known = self._written.get(name)
        if known is None:
            return None
        offset, dtype, shape = known
        if (dtype, shape) != (array.dtype, array.shape):
            raise ValueError(f"two different constants named {name!r}")
        self._file.flush()
        stored = np.memmap(self.path, dtype=dtype, mode="r", offset=offset, shape=shape)
        if not np.array_equal(stored, array):
            raise ValueError(f"two different constants named {name!r}")
        return offset

    def _append(self, array: np.ndarray) -> int:
        position = self._file.tell()
        offset = -(-position // ALIGN) * ALIGN
        self._file.write(b"\0" * (offset - position))
        self._file.write(array.reshape(-1).view(np.uint8).data)  # no copy
        return offset

    def close(self) -> None:
        self._file.close()
