"""What a model costs as a user meets it, each in a fresh process (peak memory only ever
grows in one): converting its GGUF (time, peak memory, the bundle against the GGUF),
opening it and analysing long prompts as the window does, the window's first analysed
prompt, and generating as `playground generate` does, the sampler and its ranking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playground.commands.bench.timing import DECODE_NEW, median_seconds, token_ids
from playground.engine.errors import PlaygroundError
from playground.engine.runtime.language_model import LanguageModel

LOAD_AND_MEMORY = """
import json, time
start = time.perf_counter()
from playground.engine import load_model
lm = load_model({source!r})
loaded = time.perf_counter() - start
from playground.commands.bench.suite import peak_rss_mb, token_ids
from playground.engine.inspect.analysis import analysis_of, with_statistics
from playground.engine.inspect.run import Run
ids = token_ids(lm, {n})
start = time.perf_counter()  # as the window does: shown, then every head's statistics
run = Run.of(lm, ("text", ""), ids)
analysis = analysis_of(lm, run, lm.forward(ids), long_statistics_later=True)
shown = time.perf_counter() - start
if analysis.statistics_pending:
    analysis = with_statistics(analysis)
analysed = time.perf_counter() - start
print(json.dumps({{"load_seconds": loaded, "analysis_{n}_with_statistics_seconds": analysed,
                  "analysis_{n}_shown_seconds": shown, "peak_rss_mb_{n}": peak_rss_mb()}}))
"""

FIRST_ANALYSIS = """
import json, time
start = time.perf_counter()
if {source!r} is None:  # the default model: opened while the window is built, as the
    from playground.engine.runtime.preload import start_preload  # playground command does
    start_preload()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from playground.ui.window.main_window import MainWindow
from playground.ui.worker.runner import ModelRunner
window = MainWindow(ModelRunner(), persist=False)
window.show()
window.start_loading({source!r})
window.session.set_prompt("The cat sat on the")
while not (window.session.model_info and window.session.analysis_is_current):
    app.processEvents()
    time.sleep(0.002)
print(json.dumps({{"start_to_first_analysis_seconds": time.perf_counter() - start}}))
window.runner.shutdown()
"""


CONVERSION = """
import json, shutil, tempfile, time
from pathlib import Path
from playground.commands.bench.suite import peak_rss_mb
from playground.engine.runtime.conversion import convert_gguf
gguf = Path({gguf!r})
scratch = Path(tempfile.mkdtemp(prefix=".bench-convert-", dir={store!r}))
try:
    start = time.perf_counter()
    folder = convert_gguf(gguf, name="bench", destination=scratch / "bundle")
    seconds = time.perf_counter() - start
    from playground.engine.model.bundle import read_bundle_info
    print(json.dumps({{
        "convert_seconds": seconds,
        "convert_peak_rss_mb": peak_rss_mb(),
        "bundle_bytes": sum(p.stat().st_size for p in folder.iterdir()),
        "gguf_bytes": gguf.stat().st_size,
        "analysis_on_blocks": read_bundle_info(folder).analysis_on_blocks,
    }}))
finally:
    shutil.rmtree(scratch, ignore_errors=True)
"""


def model_gguf(lm: LanguageModel, source: str | None) -> Path:
    """The GGUF the model was converted from: the file asked for, or the catalog's."""
    if source is not None and Path(source).is_file():
        return Path(source)
    from playground.engine.store.catalog import load_catalog
    from playground.engine.store.fetch import fetch_model

    for entry in load_catalog()[1]:
        if entry.sha256 == lm.info.source_sha256:
            return fetch_model(entry)
    raise PlaygroundError(
        f"{lm.info.title}: its GGUF ({lm.info.source_file}) is not known here; "
        "pass it to --model to measure its conversion and compare with llama.cpp."
    )


def felt_generation(lm: LanguageModel, prompt_length: int) -> dict[str, float]:
    """Tokens a second as `playground generate` makes them (sampling at temperature 1 from
    the whole vocabulary, each token ranked), counted as the command's time for DECODE_NEW
    + 1 new tokens minus its time for 1: the prompt's forward cancels out."""
    from playground.engine.sampling.distribution import Sampler, SamplingSettings
    from playground.engine.sampling.generation import generate_tokens

    prompt, settings = token_ids(lm, prompt_length), SamplingSettings()

    def run(new: int) -> int:
        return sum(1 for _ in generate_tokens(lm, prompt, new, settings, Sampler(seed=1)))

    made = run(DECODE_NEW + 1)  # also opens the decoding session
    if made <= 1:
        raise PlaygroundError("generation stopped at once: nothing to time")
    first = median_seconds(lambda: run(1), 3)
    whole = median_seconds(lambda: run(DECODE_NEW + 1), 3, warmup=0)
    return {"felt_decode_tokens_per_second": (made - 1) / (whole - first)}


def conversion_lines(ours: dict[str, Any]) -> list[str]:
    if "convert_error" in ours:
        return [f"{'conversion':<34}not measured: {ours['convert_error']}"]
    if "convert_seconds" not in ours:
        return []
    ratio = ours["bundle_bytes"] / ours["gguf_bytes"]
    analysis = "on its blocks" if ours["analysis_on_blocks"] else "in fp32"
    return [
        f"{'conversion of the GGUF':<34}{ours['convert_seconds']:>12.1f} s"
        f"   peak memory {ours['convert_peak_rss_mb']:.0f} MB",
        f"{'  bundle on disk':<34}{ours['bundle_bytes'] / 1e9:>11.2f} GB"
        f"   {ratio:.2f}x the GGUF; prompts analysed {analysis}",
    ]
