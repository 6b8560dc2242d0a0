"""Keep the translations in step with the code and the built-in lessons.

    .venv/bin/python scripts/update_translations.py          # update .ts files, compile .qm
    .venv/bin/python scripts/update_translations.py --check  # only say what is out of date

The interface's strings are found by Qt's own `pyside6-lupdate` (every `self.tr(...)`,
`QCoreApplication.translate(...)` and `QT_TRANSLATE_NOOP(...)` in playground/ui) into
`resources/i18n/playground_<lang>.ts`; the built-in lessons' titles, step titles, texts
and questions go into `lessons_<lang>.ts` (context "Lesson"), keeping every translation
already made. Both are compiled by `pyside6-lrelease` into `playground_<lang>.qm`, which
the app loads. Translate the .ts files with Qt Linguist (`pyside6-linguist`) or any
editor: a message still to do is marked type="unfinished".
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("es",)
BIN = Path(sys.executable).parent


def ui_sources() -> list[Path]:
    return sorted((ROOT / "playground" / "ui").rglob("*.py"))


def lesson_strings() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from playground.lessons import load_lessons

    lessons, problems = load_lessons([ROOT / "resources" / "lessons"])
    if problems:
        raise SystemExit("\n".join(problems))
    found: dict[str, None] = {}
    for lesson in lessons:
        found[lesson.title] = None
        for step in lesson.steps:
            for text in (step.title, step.text, step.question):
                if text:
                    found[text] = None
    return list(found)


def write_lessons_ts(path: Path, language: str, sources: list[str]) -> None:
    """The lessons' messages, with the translations `path` already holds."""
    done: dict[str, ET.Element] = {}
    if path.is_file():
        for message in ET.parse(path).getroot().iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is not None and translation is not None:
                done[source] = translation
    root = ET.Element("TS", version="2.1", language=language)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = "Lesson"
    for source in sources:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        if source in done and done[source].get("type") != "unfinished":
            message.append(done[source])
        else:
            ET.SubElement(message, "translation", type="unfinished")
    ET.indent(root)
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        + ET.tostring(root, encoding="unicode")
        + "\n",
        encoding="utf-8",
    )


def unfinished(path: Path) -> list[str]:
    return [
        m.findtext("source") or ""
        for m in ET.parse(path).getroot().iter("message")
        if (t := m.find("translation")) is not None
        and (t.get("type") == "unfinished" or not (t.text or "").strip())
    ]


def update(folder: Path, language: str) -> None:
    ui_ts, lessons_ts = folder / f"playground_{language}.ts", folder / f"lessons_{language}.ts"
    subprocess.run(
        [
            BIN / "pyside6-lupdate",
            *map(str, ui_sources()),
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            language,
            "-ts",
            str(ui_ts),
        ],
        check=True,
        capture_output=True,
    )
    write_lessons_ts(lessons_ts, language, lesson_strings())
    subprocess.run(
        [
            BIN / "pyside6-lrelease",
            str(ui_ts),
            str(lessons_ts),
            "-qm",
            str(folder / f"playground_{language}.qm"),
        ],
        check=True,
        capture_output=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; report")
    args = parser.parse_args()
    problems = []
    for language in LANGUAGES:
        if not args.check:
            update(I18N, language)
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch)
            for path in I18N.glob(f"*_{language}.*"):
                shutil.copy(path, copy / path.name)
            update(copy, language)  # what an update would make of the files as they are
            for name in (f"playground_{language}.ts", f"lessons_{language}.ts"):
                if (copy / name).read_bytes() != (I18N / name).read_bytes():
                    problems.append(f"{name} is out of date: run {Path(__file__).name}")
                problems += [f"{name}: untranslated: {s!r}" for s in unfinished(copy / name)]
            qm = f"playground_{language}.qm"
            if not (I18N / qm).is_file() or (copy / qm).read_bytes() != (I18N / qm).read_bytes():
                problems.append(f"{qm} is not compiled from the .ts files")
    print("\n".join(problems) or "Translations are up to date and complete.")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
