"""A gallery of broken model files, each with the words its error message must contain."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import onnx

from playground.engine.model.bundle import MODEL_FILE, TOKENIZER_FILE, WEIGHTS_FILE
from playground.engine.runtime.conversion import convert_gguf
from tests.tiny_models import TinySpec, write_tiny_gguf


@dataclass(frozen=True)
class BadModel:
    path: Path  # a .gguf file or a bundle folder
    message: str  # a regular expression the error must match (it names the file)


def make_bad_models(root: Path) -> dict[str, BadModel]:
    root.mkdir(parents=True, exist_ok=True)
    good_gguf = write_tiny_gguf(root / "good.gguf")
    good_bundle = convert_gguf(good_gguf, name="good", destination=root / "good-bundle")
    bad: dict[str, BadModel] = {}

    text = root / "notes.gguf"
    text.write_text("These are my lesson notes, not a model.\n")
    bad["not a GGUF"] = BadModel(text, r"notes\.gguf: not a GGUF file")

    truncated = root / "truncated.gguf"
    data = good_gguf.read_bytes()
    truncated.write_bytes(data[: len(data) * 2 // 3])
    bad["truncated GGUF"] = BadModel(truncated, r"truncated\.gguf: .*(truncated|damaged)")

    other = write_tiny_gguf(root / "gemma2.gguf", TinySpec(family="gemma2"))
    bad["unsupported architecture"] = BadModel(
        other, r"gemma2\.gguf: architecture 'gemma2' is not supported"
    )

    def broken_copy(name: str) -> Path:
        folder = root / name
        shutil.copytree(good_bundle, folder)
        return folder

    folder = broken_copy("no-tokenizer")
    (folder / TOKENIZER_FILE).unlink()
    bad["bundle missing a file"] = BadModel(folder, r"no-tokenizer: .*missing tokenizer\.json")

    folder = broken_copy("damaged-info")
    (folder / "bundle.json").write_text("{not json")
    bad["damaged bundle.json"] = BadModel(folder, r"damaged-info/bundle\.json: damaged")

    folder = broken_copy("damaged-graph")
    (folder / MODEL_FILE).write_bytes(b"\x08\x07garbage" * 50)
    bad["damaged model.onnx"] = BadModel(folder, r"damaged-graph/model\.onnx: cannot load")

    folder = broken_copy("short-weights")
    weights = folder / WEIGHTS_FILE
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    bad["truncated weights"] = BadModel(folder, r"short-weights/model\.onnx: cannot load")

    folder = broken_copy("no-attentions")
    graph = onnx.load(str(folder / MODEL_FILE), load_external_data=False)
    kept = [o for o in graph.graph.output if not o.name.startswith("attention.")]
    del graph.graph.output[:]
    graph.graph.output.extend(kept)
    onnx.save(graph, str(folder / MODEL_FILE))
    bad["graph without attentions"] = BadModel(
        folder, r"no-attentions/model\.onnx: the graph lacks the outputs attention\.0"
    )
    return bad
