"""Lessons: guided presets in steps, each lesson a plain text file a teacher can write.

    title: Attention: which words does "it" look at?
    prompt: The animal didn't cross the road because it was too tired
    panel: attention          # the panel to bring to the front (or two: attention, tokenization)
    select: it                # a token to select: its text (stripped), or "last"
    layer: 13
    head: 8

    Two or three sentences of explanation, after one blank line.

    --- Guess first           # a new step (its title after the dashes is optional)
    hide: attention           # an answer hidden until Reveal
    question: Which word does "it" look at most?

    The step's own text.

A step is the lines from one `---` line to the next: key lines, one blank line, its text.
It keeps the keys of the step before it (write only what changes), except `hide`,
`question` and `count`, which belong to their own step. A lesson without `---` is one step.
`hide` is one of next_token (the next-token chart, the logit lens, the attribution and the
generation panel), attention (the attention weights: the attention and inside-a-layer
panels), token_count (how many tokens the word in `count` becomes: with it every panel
that shows the prompt's tokens, if the prompt holds the word) or cosine (the cosine of the
two words in `compare`: the embedding panel). The class's guesses are typed in the Quiz
panel and scored when the answer is revealed.

Other keys: chat (on/off), temperature, top_p, top_k, min_p, scope (head, layer mean, all
layers mean), all_layers and hide_first (on/off), compare ("king, queen"). Experiments:
pin (a prompt run first and pinned as A, or "intact": the lesson's own prompt before its
knock-out), knock_out ("17.3,18.6,20.mlp"), ablation (zero or mean), unit (what the
attribution panel leaves out: token, word, line or message) and target (the token it
explains, in quotes to keep a leading space: " Le"). Sentences and search: sentences
("S1 | S2 | S3", for the Sentences panel), query (searched in the Search panel), passages
(how many it finds, 3 unless set) and rag (on: the query is asked of the model with the
passages found). Fine-tuning: finetune (fact, style or format: the preset put in the
Fine-tune panel; the class presses Start). The Causal lab's keys (lab, patch, site, steer,
steer_layer, strength, threshold) are lesson_lab.py's. In `prompt` and `pin`, "\\n" stands for a new
line. Lines starting with # are comments. Lessons come from the app's own folder and
from `<store>/lessons/`, ordered by file name. A mistake is reported with the file's name
and the line it is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.leave_one_out import UNITS
from playground.engine.store.folders import store_root
from playground.lesson_lab import LAB_KEYS, LabStep, lab_step

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
    "finetune",
    "causal",
)
FINETUNE_PRESETS = ("fact", "style", "format")  # the Fine-tune panel's presets
SCOPES = ("head", "layer mean", "all layers mean")
HIDDEN_ANSWERS = ("next_token", "attention", "token_count", "cosine")
STEP_MARK = "---"
_SWITCHES = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}
_NUMBERS = ("temperature", "top_p", "min_p")
_INTEGERS = ("top_k", "layer", "head", "passages")
_KNOWN = {"title", "prompt", "panel", "select", "chat", "scope", "all_layers", "hide_first"}
_KNOWN |= {"compare", "pin", "knock_out", "ablation", "unit", "target", *_NUMBERS, *_INTEGERS}
_KNOWN |= {"sentences", "query", "rag", "hide", "question", "count", "finetune", *LAB_KEYS}
_OWN_STEP = ("hide", "question", "count")  # not carried on to the next step
_WHOLE = ("prompt", "pin", "sentences", "query", "question")  # values that may hold " #"


@dataclass(frozen=True)
class Step:
    """One screen of a lesson: a run of the model, the panels to look at, maybe a quiz."""

    prompt: str
    text: str  # the explanation shown beside the panels
    title: str = ""  # the step's own heading (empty: the lesson's title alone)
    line: int = 1  # where the step starts in its file
    panels: tuple[str, ...] = ("next_token",)  # one or two: the first is brought to the front
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
    hide: str | None = None  # the answer hidden until Reveal (one of HIDDEN_ANSWERS)
    question: str = ""  # asked of the class while the answer is hidden
    count: str | None = None  # the word whose token count is hidden
    finetune: str | None = None  # a preset put in the Fine-tune panel (fact, style, format)
    lab: LabStep | None = None  # the Causal lab: patching run, steering, routes

    @property
    def panel(self) -> str:
        return self.panels[0]


@dataclass(frozen=True)
class Lesson:
    path: Path
    title: str
    steps: tuple[Step, ...]

    @property
    def quiz_steps(self) -> int:
        return sum(step.hide is not None for step in self.steps)


_Fields = dict[str, tuple[str, int]]  # key -> (value, line number)


def parse_lesson(path: Path) -> Lesson:
    """Read one lesson file; raise PlaygroundError naming the file and line if it is wrong."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise PlaygroundError(f"{path.name}: cannot read the lesson ({error}).") from error
    name = path.name
    chunks = _split_steps(lines)
    steps: list[Step] = []
    inherited: _Fields = {}
    lesson_title = ""
    for number, (start, heading, chunk) in enumerate(chunks):
        fields, text = _read_chunk(name, start, chunk)
        if number == 0:
            for required in ("title", "prompt"):
                if not fields.get(required, ("", 0))[0]:
                    raise PlaygroundError(f"{name}, line 1: the lesson has no {required!r} line.")
            lesson_title = fields["title"][0]
        elif "title" in fields:
            raise PlaygroundError(
                f"{name}, line {fields['title'][1]}: a step's title goes after its "
                f"'{STEP_MARK}', e.g. '{STEP_MARK} Guess first'."
            )
        merged = {k: v for k, v in inherited.items() if k not in _OWN_STEP} | fields
        steps.append(_step(name, merged, text, heading, start))
        inherited = merged
    return Lesson(path=path, title=lesson_title, steps=tuple(steps))


def _split_steps(lines: list[str]) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(first line number, heading, numbered lines) for the header and each `---` step."""
    chunks: list[tuple[int, str, list[tuple[int, str]]]] = [(1, "", [])]
    for number, line in enumerate(lines, start=1):
        if line.startswith(STEP_MARK):
            chunks.append((number, line.lstrip("-").strip(), []))
        else:
            chunks[-1][2].append((number, line))
    return chunks


def _read_chunk(name: str, start: int, chunk: list[tuple[int, str]]) -> tuple[_Fields, str]:
    """Key lines up to the first blank line, then the text (paragraphs kept)."""
    fields: _Fields = {}
    body: list[str] = []
    in_keys = True
    for number, line in chunk:
        if in_keys and not line.strip():
            in_keys = False
            continue
        if not in_keys:
            body.append(line)
            continue
        if line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in _KNOWN:
            hint = " (a step's keys come right after its '---' line, then one blank line)"
            raise PlaygroundError(
                f"{name}, line {number}: expected 'key: value', got {line!r}"
                f"{hint if start > 1 else ''}."
            )
        fields[key] = (value.strip() if key in _WHOLE else value.split(" #")[0].strip(), number)
    paragraphs = "\n".join(body).split("\n\n")
    text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    return fields, text


def _step(name: str, fields: _Fields, text: str, heading: str, start: int) -> Step:
    def where(key: str) -> str:
        return f"{name}, line {fields[key][1]}"

    def value(key: str, default: str | None = None) -> str | None:
        return fields[key][0] if key in fields else default

    def switch(key: str) -> bool | None:
        if key not in fields:
            return None
        word = fields[key][0].lower()
        if word not in _SWITCHES:
            raise PlaygroundError(f"{where(key)}: {key} must be on or off, not {fields[key][0]!r}.")
        return _SWITCHES[word]

    def number(key: str, kind: type) -> float | int | None:
        if key not in fields:
            return None
        try:
            return kind(fields[key][0])  # type: ignore[no-any-return]
        except ValueError as error:
            raise PlaygroundError(f"{where(key)}: {key} must be a number.") from error

    def one_of(key: str, allowed: tuple[str, ...], default: str | None) -> str | None:
        chosen = value(key, default)
        if chosen is not None and chosen not in allowed:
            raise PlaygroundError(
                f"{where(key)}: unknown {key} {chosen!r} (one of {', '.join(allowed)})."
            )
        return chosen

    panels = tuple(p.strip() for p in (value("panel") or "next_token").split(","))
    for panel in panels:
        if panel not in PANELS:
            raise PlaygroundError(
                f"{where('panel')}: unknown panel {panel!r} (one of {', '.join(PANELS)})."
            )
    if len(panels) > 2:
        raise PlaygroundError(f"{where('panel')}: a step shows one or two panels.")
    scope = one_of("scope", SCOPES, None)
    compare = None
    if "compare" in fields:
        words = [w.strip() for w in fields["compare"][0].split(",")]
        if len(words) != 2 or not all(words):
            raise PlaygroundError(
                f"{where('compare')}: compare needs two words, e.g. 'king, queen'."
            )
        compare = (words[0], words[1])
    if value("ablation", "zero") not in ("zero", "mean"):
        raise PlaygroundError(f"{where('ablation')}: ablation must be zero or mean.")
    if value("unit", "token") not in UNITS:
        raise PlaygroundError(f"{where('unit')}: unit must be one of {', '.join(UNITS)}.")
    hide = one_of("hide", HIDDEN_ANSWERS, None)
    if hide == "token_count" and not value("count"):
        raise PlaygroundError(f"{where('hide')}: hide: token_count needs a 'count: word' line.")
    if hide == "cosine" and compare is None:
        raise PlaygroundError(f"{where('hide')}: hide: cosine needs a 'compare: a, b' line.")
    if hide == "attention" and not value("select"):
        raise PlaygroundError(f"{where('hide')}: hide: attention needs a 'select:' token.")
    pin = value("pin")
    sampling = {k: float(v) for k in _NUMBERS if (v := number(k, float)) is not None}
    if (top_k := number("top_k", int)) is not None:
        sampling["top_k"] = top_k
    layer, head = number("layer", int), number("head", int)
    finetune = value("finetune")
    if finetune is not None and finetune not in FINETUNE_PRESETS:
        presets = ", ".join(FINETUNE_PRESETS)
        raise PlaygroundError(f"{where('finetune')}: finetune is one of {presets}.")
    passages = number("passages", int)
    if passages is not None and not 1 <= passages <= 10:
        raise PlaygroundError(f"{where('passages')}: passages must be from 1 to 10.")
    return Step(
        prompt=(value("prompt") or "").replace("\\n", "\n"),
        text=text,
        title=heading,
        line=start,
        panels=panels,
        chat=bool(switch("chat")),
        select=value("select"),
        sampling=sampling,
        scope=scope,
        layer=None if layer is None else int(layer),
        head=None if head is None else int(head),
        all_layers=switch("all_layers"),
        hide_first=switch("hide_first"),
        compare=compare,
        pin=None if pin is None else (pin if pin == "intact" else pin.replace("\\n", "\n")),
        knock_out=value("knock_out") or "",
        ablation=value("ablation") or "zero",
        unit=value("unit"),
        target=_unquoted(fields["target"][0]) if "target" in fields else None,
        sentences=tuple(t.strip() for t in (value("sentences") or "").split("|") if t.strip()),
        query=value("query"),
        rag=bool(switch("rag")),
        passages=None if passages is None else int(passages),
        hide=hide,
        question=value("question") or "",
        count=_unquoted(fields["count"][0]) if "count" in fields else None,
        finetune=finetune,
        lab=lab_step(fields, where),
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
