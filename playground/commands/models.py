"""`playground models ...`: list, fetch, convert and find models, with progress on the terminal."""

from __future__ import annotations

import argparse
import json
import sys


class TerminalProgress:
    """Prints long-work progress on stderr: a live bar on a terminal, sparse lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.stage = ""
        self.last_percent = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = int(100 * done / total) if total else -1
        if stage != self.stage:
            if self.tty and self.stage:
                sys.stderr.write("\n")
            self.stage, self.last_percent = stage, -1
            if not self.tty:
                print(f"{stage}...", file=sys.stderr, flush=True)
        if self.tty:
            bar = "#" * (percent // 4) + "-" * (25 - percent // 4) if percent >= 0 else ""
            amount = f"{percent:3d}%" if percent >= 0 else ""
            sys.stderr.write(f"\r{stage} [{bar}] {amount}" if bar else f"\r{stage}")
            sys.stderr.flush()
        elif percent >= self.last_percent + 25:
            print(f"  {percent}%", file=sys.stderr, flush=True)
            self.last_percent = percent

    def close(self) -> None:
        if self.tty and self.stage:
            sys.stderr.write("\n")


def _human_bytes(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    for unit, size in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if n < size * 1000 or unit == "GB":
            return f"{n / size:.1f} {unit}"
    raise AssertionError("unreachable")


def models_list(args: argparse.Namespace) -> int:
    from playground.engine.errors import ModelFileError
    from playground.engine.finetune.saving import variants_of
    from playground.engine.model.bundle import read_bundle_info
    from playground.engine.model.encoder_bundle import ENCODER_INFO_FILE
    from playground.engine.store.catalog import load_catalog, load_encoders
    from playground.engine.store.fetch import fetched_path
    from playground.engine.store.folders import INDEX_FOLDER, folder_size, store_root

    default, entries = load_catalog()
    root = store_root()
    print(f"Model store: {root}\n")
    print("Catalog (fetch with `playground models fetch NAME`):")
    for e in entries:
        gguf = fetched_path(e)
        fetched = (
            f"fetched, {_human_bytes(gguf.stat().st_size)}" if gguf.exists() else "not fetched"
        )
        mark = " (default)" if e.name == default else ""
        size = _human_bytes(e.gguf_bytes)
        print(f"  {e.name}{mark}: {e.title}, {e.license}, GGUF {size}, {fetched}")
    for encoder in load_encoders():
        zipped = fetched_path(encoder)
        fetched = "fetched" if zipped.exists() else "not fetched"
        size = _human_bytes(encoder.member_bytes)
        print(f"  {encoder.name}: {encoder.title}, {encoder.license}, {size}, {fetched}")
    print("\nConverted bundles:")
    found = False
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name in ("downloads", INDEX_FOLDER):
            continue
        found = True
        if (folder / ENCODER_INFO_FILE).exists():
            print(f"  {folder.name}: sentence encoder, {_human_bytes(folder_size(folder))}")
            continue
        try:
            info = read_bundle_info(folder)
            a = info.architecture
            desc = (
                f"{info.title}, {a.family} {a.n_layer} layers x {a.n_head} heads, "
                f"vocab {a.vocab_size:,}"
            )
        except ModelFileError as error:
            desc, info = f"damaged: {error}", None
        if info is not None and info.variant_base is not None:
            continue  # listed under its base
        print(f"  {folder.name}: {desc}, {_human_bytes(folder_size(folder))}")
        for variant in variants_of(folder.name):
            size = _human_bytes(folder_size(variant))
            print(f"    └ {variant.name}: fine-tuned variant, {size} (its adapter)")
    if not found:
        print("  (none yet)")
    return 0


def models_fetch(args: argparse.Namespace) -> int:
    """A catalog model or encoder by name; with no name, the default model and the encoder
    (everything the app and its tests use)."""
    from playground.engine.runtime.encoder_loader import ensure_encoder_bundle
    from playground.engine.runtime.loader import ensure_catalog_bundle
    from playground.engine.store.catalog import default_model_name, load_encoders

    encoders = {e.name for e in load_encoders()}
    folders = []
    progress = TerminalProgress()
    try:
        if args.name in encoders:
            folders.append(ensure_encoder_bundle(args.name, progress=progress))
        else:
            folders.append(ensure_catalog_bundle(args.name or default_model_name(), progress))
            if args.name is None:
                folders.append(ensure_encoder_bundle(progress=progress))
    finally:
        progress.close()
    for folder in folders:
        print(f"Ready: {folder}")
    return 0


def models_convert(args: argparse.Namespace) -> int:
    from pathlib import Path

    from playground.engine.runtime.loader import convert_into_store

    progress = TerminalProgress()
    try:
        folder = convert_into_store(
            Path(args.file), args.name, progress, analysis_on_blocks=args.analysis_on_blocks
        )
    finally:
        progress.close()
    print(f"Converted: {folder}")
    from playground.engine.model.bundle import read_bundle_info

    if read_bundle_info(folder).analysis_on_blocks:
        print(
            "Prompts are analysed on the quantized matrices (a big model; "
            "--analysis-in-fp32 for exact ones): numbers within about 1e-2 of fp32."
        )
    return 0


def models_scan(args: argparse.Namespace) -> int:
    """GGUF files already on this machine (LM Studio, Ollama, the Hugging Face cache,
    llama.cpp's cache, Downloads), each once, and whether they can be opened."""
    from playground.engine.model.found_models import scan

    found = scan()
    if args.json:
        print(json.dumps({"models": [m.to_dict() for m in found]}, indent=2))
        return 0
    if not found:
        print("No GGUF models found in LM Studio's, Ollama's, Hugging Face's or llama.cpp's")
        print("folders or in Downloads. Open any .gguf file with `playground models convert`.")
        return 0
    for m in found:
        what = ", ".join(x for x in (m.family, m.quantization, _human_bytes(m.bytes)) if x)
        status = "can be opened" if m.supported else f"cannot be opened: {m.reason}"
        print(f"{m.name} ({what}) [{m.where}]\n  {m.path}\n  {status}")
    return 0


def models_delete(args: argparse.Namespace) -> int:
    """Remove a fine-tuned variant (converted models are kept: delete their folder)."""
    from playground.engine.finetune.saving import delete_variant

    delete_variant(args.name)
    print(f"Deleted the variant {args.name}.")
    return 0
