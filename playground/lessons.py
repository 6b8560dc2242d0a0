"""Lessons: short guided presets, each a plain text file a teacher can write.

    title: Attention: which words does "it" look at?
    prompt: The animal didn't cross the road because it was too tired
    panel: attention          # the panel to bring to the front
    select: it                # a token to select: its text (stripped), or "last"
    layer: 13
    head: 8

    Two or three sentences of explanation, after one blank line.

Other keys: chat (on/off), temperature, top_p, top_k, min_p, scope (head, layer mean, all
layers mean), all_layers and hide_first (on/off), compare ("king, queen"). Experiments:
pin (a prompt run first and pinned as A, or "intact": the lesson's own prompt before its
knock-out), knock_out ("17.3,18.6,20.mlp"), ablation (zero or mean), unit (what the
attribution panel leaves out: token, word, line or message) and target (the token it
explains, in quotes to keep a leading space: " Le"). Sentences and search: sentences
("S1 | S2 | S3", for the Sentences panel), query (searched in the Search panel), passages
(how many it finds, 3 unless set) and rag (on: the query is asked of the model with the
passages found). In `prompt` and `pin`, "\\n" stands
for a new line. Lines starting with # are comments. Lessons come from the app's own folder
and from `<store>/lessons/`, ordered by file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.leave_one_out import UNITS
from playground.engine.store.folders import store_root

PANELS = (
    "tokenization",
    "next_token",
    "embeddings",
    "attention",
    "generation",
    "logit_lens",
    "attribution",
    "inside_layer",
    "sentences",
    "search",
)
SCOPES = ("head", "layer mean", "all layers mean")
_SWITCHES = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}
_NUMBERS = ("temperature", "top_p", "min_p")
_INTEGERS = ("top_k", "layer", "head", "passages")
_KNOWN = {"title", "prompt", "panel", "select", "chat", "scope", "all_layers", "hide_first"}
_KNOWN |= {"compare", "pin", "knock_out", "ablation", "unit", "target", *_NUMBERS, *_INTEGERS}
_KNOWN |= {"sentences", "query", "rag"}


@dataclass(frozen=True)
class Lesson:
    path: Path
    title: str
    prompt: str
    text: str  # the explanation shown beside the panels
    panel: str = "next_token"
    chat: bool = False
    select: str | None = None  # token text (stripped) or "last"
    sampling: dict[str, float] = field(default_factory=dict)  # temperature, top_p, ...
    scope: str | None = None
    layer: int | None = None
    head: int | None = None
    all_layers: bool | None = None
    hide_first: bool | None = None
    compare: tuple[str, str] | None = None
    pin: str | None = None  # run and pinned as A first; "intact": the prompt, nothing off
    knock_out: str = ""  # parts switched off ("17.3,18.6"), as `playground predict` takes
    ablation: str = "zero"  # what a knocked-out head writes: zero or mean
    unit: str | None = None  # the attribution panel's unit
    target: str | None = None  # the text of the token the attribution explains
    sentences: tuple[str, ...] = ()  # for the Sentences panel
    query: str | None = None  # searched in the Search panel
    rag: bool = False  # the query asked of the model with the passages found
    passages: int | None = None  # how many passages the query finds


def parse_lesson(path: Path) -> Lesson:
    """Read one lesson file; raise PlaygroundError naming the file and line if it is wrong."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise PlaygroundError(f"{path.name}: cannot read the lesson ({error}).") from error
    fields: dict[str, str] = {}
    body_start = len(lines)
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            body_start = line_number
            break
        if line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in _KNOWN:
            raise PlaygroundError(
                f"{path.name}, line {line_number}: expected 'key: value', got {line!r}."
            )
        whole = key in ("prompt", "pin", "sentences", "query")  # may hold " #"
        fields[key] = value.strip() if whole else value.split(" #")[0].strip()
    text = " ".join(" ".join(lines[body_start:]).split())
    for required in ("title", "prompt"):
        if not fields.get(required):
            raise PlaygroundError(f"{path.name}: the lesson has no {required!r} line.")

    def switch(key: str) -> bool | None:
        if key not in fields:
            return None
        value = fields[key].lower()
        if value not in _SWITCHES:
            raise PlaygroundError(f"{path.name}: {key} must be on or off, not {fields[key]!r}.")
        return _SWITCHES[value]

    def number(key: str, kind: type) -> float | int | None:
        if key not in fields:
            return None
        try:
            return kind(fields[key])  # type: ignore[no-any-return]
        except ValueError as error:
            raise PlaygroundError(f"{path.name}: {key} must be a number.") from error

    panel = fields.get("panel", "next_token")
    if panel not in PANELS:
        raise PlaygroundError(f"{path.name}: unknown panel {panel!r} (one of {', '.join(PANELS)}).")
    scope = fields.get("scope")
    if scope is not None and scope not in SCOPES:
        raise PlaygroundError(f"{path.name}: unknown scope {scope!r} (one of {', '.join(SCOPES)}).")
    compare = None
    if "compare" in fields:
        words = [w.strip() for w in fields["compare"].split(",")]
        if len(words) != 2 or not all(words):
            raise PlaygroundError(f"{path.name}: compare needs two words, e.g. 'king, queen'.")
        compare = (words[0], words[1])
    if fields.get("ablation", "zero") not in ("zero", "mean"):
        raise PlaygroundError(f"{path.name}: ablation must be zero or mean.")
    if fields.get("unit", "token") not in UNITS:
        raise PlaygroundError(f"{path.name}: unit must be one of {', '.join(UNITS)}.")
    pin = fields.get("pin")
    sampling = {k: float(v) for k in _NUMBERS if (v := number(k, float)) is not None}
    if (top_k := number("top_k", int)) is not None:
        sampling["top_k"] = top_k
    layer, head = number("layer", int), number("head", int)
    passages = number("passages", int)
    if passages is not None and not 1 <= passages <= 10:
        raise PlaygroundError(f"{path.name}: passages must be from 1 to 10.")
    return Lesson(
        path=path,
        title=fields["title"],
        prompt=fields["prompt"].replace("\\n", "\n"),
        text=text,
        panel=panel,
        chat=bool(switch("chat")),
        select=fields.get("select"),
        sampling=sampling,
        scope=scope,
        layer=None if layer is None else int(layer),
        head=None if head is None else int(head),
        all_layers=switch("all_layers"),
        hide_first=switch("hide_first"),
        compare=compare,
        pin=None if pin is None else (pin if pin == "intact" else pin.replace("\\n", "\n")),
        knock_out=fields.get("knock_out", ""),
        ablation=fields.get("ablation", "zero"),
        unit=fields.get("unit"),
        target=_unquoted(fields["target"]) if "target" in fields else None,
        sentences=tuple(t.strip() for t in fields.get("sentences", "").split("|") if t.strip()),
        query=fields.get("query"),
        rag=bool(switch("rag")),
        passages=None if passages is None else int(passages),
    )


def _unquoted(text: str) -> str:
    """'" Le"' -> ' Le' (quotes keep a token's leading space); other text as written."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def lesson_folders(app_lessons: Path) -> list[Path]:
    """The app's own lessons, then the user's (`<store>/lessons/`)."""
    return [app_lessons, store_root() / "lessons"]


def load_lessons(folders: list[Path]) -> tuple[list[Lesson], list[str]]:
    """Every lesson in these folders (sorted by file name), and a message per bad file."""
    lessons: list[Lesson] = []
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            try:
                lessons.append(parse_lesson(path))
            except PlaygroundError as error:
                problems.append(str(error))
    return lessons, problems
