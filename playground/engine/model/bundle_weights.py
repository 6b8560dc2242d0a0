"""Read one weight tensor of a bundle straight from its external-data file (memory-mapped),
without loading the whole graph."""

from __future__ import annotations

import functools
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from playground.engine.errors import ModelFileError
from playground.engine.model.bundle import MODEL_FILE, read_bundle_info
from playground.engine.model.stored_blocks import BlockRows, dense_from_blocks, stored_bases
from playground.engine.model.variant import base_folder, weight_deltas

if TYPE_CHECKING:  # onnx takes ~1 s to import: loaded when a weight is first read
    import onnx


def _graph(path: Path) -> onnx.GraphProto:
    """A graph file's nodes and initializers (not their external data)."""
    import onnx

    return onnx.load(str(path), load_external_data=False).graph


# The embedding panel and the logit lens read the same 113 MB matrix: one mapping, not two
# (each mapping's pages count in the process's memory). Weak: gone with its last user.
_mapped: weakref.WeakValueDictionary[tuple[Path, str, float], np.ndarray] = (
    weakref.WeakValueDictionary()
)


def read_initializer(folder: Path, name: str) -> np.ndarray:
    """The tensor `name` of the bundle in `folder`: a read-only memory map for external
    data (shared while anyone holds it), a copy for small tensors in the graph file; for
    a variant, its base's tensor with the adapter's change added (variant.py)."""
    folder = Path(folder)
    deltas = weight_deltas(folder)
    if deltas:
        base = read_initializer(base_folder(folder), name)
        return base + deltas[name] if name in deltas else base
    try:
        key = (folder.resolve(), name, (folder / MODEL_FILE).stat().st_mtime)
    except OSError:
        return _read_initializer(folder, name)  # it says what is missing
    shared = _mapped.get(key)
    if shared is not None:
        return shared
    array = _read_initializer(folder, name)
    _mapped[key] = array  # a mapping, or a matrix made from blocks: made once while used
    return array


def token_table(folder: Path) -> np.ndarray | BlockRows:
    """The (V, D) token table, read as fp32 rows: the bundle's fp32 tensor (memory-
    mapped), or for a model analysed on its blocks a BlockRows over them, expanded a
    block of rows at a time and never whole (1 GB for a 128,256 x 2,048 table)."""
    folder = Path(folder)
    try:
        key = (folder.resolve(), (folder / MODEL_FILE).stat().st_mtime)
    except OSError:
        key = None
    rows = _rows_of_blocks(key) if key is not None and not weight_deltas(folder) else None
    return rows if rows is not None else read_initializer(folder, "token_embd.weight")


@functools.lru_cache(maxsize=4)
def _rows_of_blocks(key: tuple[Path, float]) -> BlockRows | None:
    """A bundle's token table kept in blocks (read once per graph file), or None."""
    folder = key[0]
    graph = _graph(folder / MODEL_FILE)
    names = [t.name for t in graph.initializer if t.name.startswith("token_embd.")]
    if "token_embd.weight" in names or "token_embd" not in stored_bases(names):
        return None
    kept = {t.name: _tensor_array(folder, t) for t in graph.initializer if t.name in names}
    return BlockRows(kept, "token_embd")


def read_initializers(folder: Path, prefix: str) -> dict[str, np.ndarray]:
    """Every tensor of the bundle whose name starts with `prefix` (e.g. "blk.3."), by
    name, reading the graph file once (memory maps for external data); a variant's
    adapted matrices merged."""
    folder = Path(folder)
    deltas = weight_deltas(folder)
    if deltas:
        tensors = read_initializers(base_folder(folder), prefix)
        return {name: t + deltas[name] if name in deltas else t for name, t in tensors.items()}
    graph = _graph(folder / MODEL_FILE)
    tensors = {
        t.name: _tensor_array(folder, t) for t in graph.initializer if t.name.startswith(prefix)
    }
    for base in stored_bases(list(tensors)):  # matrices kept in blocks: as fp32 (in, out)
        dense: np.ndarray = dense_from_blocks(tensors, base)  # type: ignore[assignment]
        parts = base.split("+")  # matrices multiplied as one product: "a+b+c" (out, in)
        if len(parts) == 1:
            tensors.setdefault(f"{base}.weight_t", dense.T)
            continue
        arch = read_bundle_info(folder).architecture
        edges = np.cumsum([arch.rows_of(part) for part in parts])[:-1]
        for kind in ("weight", "bias"):
            whole = dense if kind == "weight" else tensors.get(f"{base}.bias")
            if whole is None:
                continue
            for part, rows in zip(parts, np.split(whole, edges), strict=True):
                key = f"{part}.weight_t" if kind == "weight" else f"{part}.bias"
                tensors.setdefault(key, rows.T if kind == "weight" else rows)
    return tensors


def _read_initializer(folder: Path, name: str) -> np.ndarray:
    folder = Path(folder)
    graph = _graph(folder / MODEL_FILE)
    for tensor in graph.initializer:
        if tensor.name == name:
            return _tensor_array(folder, tensor)
    # a matrix the analysis multiplies in its blocks (a big model's): as fp32, from them
    if name.endswith(".weight_t"):  # (in, out), of a layer or the output layer
        prefix = ".".join(name.split(".")[:2]) + "." if name.startswith("blk.") else "output"
        dense = read_initializers(folder, prefix).get(name)
        if dense is not None:
            return np.ascontiguousarray(dense)
    if name == "token_embd.weight":  # (V, D): the table, looked up and multiplied in blocks
        table = read_initializers(folder, "token_embd.").get("token_embd.weight_t")
        if table is not None:
            return table.T  # dense_from_blocks' own (V, D) array
    raise ModelFileError(f"{folder / MODEL_FILE}: no tensor named {name!r}.")


def _tensor_array(folder: Path, tensor: onnx.TensorProto) -> np.ndarray:
    import onnx
    from onnx import numpy_helper

    if tensor.data_location != onnx.TensorProto.EXTERNAL:
        return numpy_helper.to_array(tensor)
    info = {entry.key: entry.value for entry in tensor.external_data}
    dtype = onnx.helper.tensor_dtype_to_np_dtype(tensor.data_type)
    path = folder / info["location"]
    offset, length = int(info.get("offset", 0)), int(info["length"])
    shape = tuple(tensor.dims)
    if length != int(np.prod(shape)) * dtype.itemsize or path.stat().st_size < offset + length:
        raise ModelFileError(f"{path}: tensor {tensor.name} is damaged or truncated.")
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape)


def graph_weight_bytes(folder: Path, model_file: str) -> int:
    """The bytes of weights one graph of the bundle reads (both graphs' weights share one
    file; a big model's graphs share most of them)."""
    graph = _graph(Path(folder) / model_file)
    total = 0
    for tensor in graph.initializer:
        info = {entry.key: entry.value for entry in tensor.external_data}
        total += int(info["length"]) if "length" in info else tensor.ByteSize()
    return total


def merged_weights(folder: Path) -> dict[str, np.ndarray]:
    """A variant's adapted matrices, merged into its base's (as the analysis graph holds
    them, by initializer name); empty for a model that is not a variant."""
    return {
        name: np.ascontiguousarray(read_initializer(folder, name), dtype=np.float32)
        for name in weight_deltas(folder)
    }
