"""The training data, read and tokenized: what the model reads and which of its tokens
the loss is taken on.

    JSON lines  {"prompt": "...", "completion": "..."}   plain text; the loss is on the
                completion's tokens (the prompt is what it answers)
                {"messages": [{"role": "user", "content": "..."}, ...]}   a chat in the
                model's own template; the loss is on the assistant's words and the token
                that ends its turn
    .txt        plain text, passages separated by blank lines; the loss is on every token
                after the first

A line or passage that cannot be used is named with its number and why; nothing is used
then (a class's data is fixed before it trains, not half-used)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.prompt.chat import render_chat
from playground.engine.runtime.language_model import LanguageModel

MAX_EXAMPLE_TOKENS = 128  # longer examples are cut (and said): a step's time grows with it
MAX_EXAMPLES = 256
_MARK = "\ue010{}\ue011"  # private-use markers around each message in the rendered chat


@dataclass(frozen=True)
class Example:
    ids: tuple[int, ...]  # what the model reads
    trained: tuple[bool, ...]  # per token: is the loss taken on predicting it?
    text: str  # the example as the data gave it, for a person

    @property
    def loss_tokens(self) -> int:
        return sum(self.trained)


@dataclass(frozen=True)
class TrainingData:
    examples: tuple[Example, ...]
    notices: tuple[str, ...]  # what was changed on the way (cut examples)
    sha256: str  # of the data as read

    def batch(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids (N, T) int32, targets (N, T) int32, weights (N, T) float32): every
        example padded to the longest; weight 1 where the next token is trained."""
        n, t = len(self.examples), max(len(e.ids) for e in self.examples)
        ids = np.zeros((n, t), np.int32)
        targets = np.zeros((n, t), np.int32)
        weights = np.zeros((n, t), np.float32)
        for row, e in enumerate(self.examples):
            ids[row, : len(e.ids)] = e.ids
            targets[row, : len(e.ids) - 1] = e.ids[1:]  # position i predicts token i + 1
            weights[row, : len(e.ids) - 1] = e.trained[1:]
        return ids, targets, weights


def read_training_data(lm: LanguageModel, path: Path, text: str | None = None) -> TrainingData:
    """The examples of a .jsonl (or .json) or .txt file (`text`: its contents, when the
    window holds them); PlaygroundError names the first line that cannot be used."""
    import hashlib

    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PlaygroundError(
                f"{path.name}: cannot read the training data ({error})."
            ) from error
    plain = path.suffix.lower() == ".txt"
    raw = _passages(lm, text) if plain else _json_lines(lm, path.name, text)
    if not raw:
        raise PlaygroundError(f"{path.name}: there are no examples to learn from.")
    if len(raw) > MAX_EXAMPLES:
        raise PlaygroundError(
            f"{path.name}: {len(raw):,} examples; at most {MAX_EXAMPLES} are trained on here."
        )
    examples, notices = [], []
    for number, example in raw:
        if len(example.ids) > MAX_EXAMPLE_TOKENS:
            notices.append(
                f"Example {number} is {len(example.ids)} tokens long: only its first "
                f"{MAX_EXAMPLE_TOKENS} are used."
            )
            cut = MAX_EXAMPLE_TOKENS
            example = Example(example.ids[:cut], example.trained[:cut], example.text)
        if example.loss_tokens == 0:
            raise PlaygroundError(f"{path.name}: example {number} has nothing to learn.")
        examples.append(example)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return TrainingData(tuple(examples), tuple(notices), digest)


def _bos(lm: LanguageModel) -> list[int]:
    special = lm.info.special
    return [special.bos_id] if special.add_bos and special.bos_id is not None else []


def plain_example(lm: LanguageModel, prompt: str, completion: str) -> Example:
    """`prompt` read as a prompt, then `completion`, the part learnt (all of it when the
    prompt is empty: then every token after the first)."""
    head = _bos(lm) + (lm.encode(prompt, special=False) if prompt else [])
    body = lm.encode(completion, special=False, continues=bool(prompt))
    ids = head + body
    trained = [False] * len(head) + [True] * len(body)
    if not head and trained:
        trained[0] = False  # the first token is given, not predicted
    return Example(tuple(ids), tuple(trained), prompt + completion)


def chat_check(lm: LanguageModel, question: str, answer_start: str) -> Example:
    """A held-out check in chat: the question as the user's message in the template, and
    the first words of the answer (what is learnt: its probability)."""
    from playground.engine.prompt.chat import chat_prompt

    head = chat_prompt(lm, question).ids
    body = lm.encode(answer_start, special=False, continues=True)
    trained = [False] * len(head) + [True] * len(body)
    return Example(tuple(head + body), tuple(trained), f"{question} -> {answer_start}")


def chat_example(lm: LanguageModel, messages: list[dict[str, str]]) -> Example:
    """A conversation in the model's chat template; the assistant's turns are learnt."""
    template = lm.info.chat_template
    if not template:
        raise PlaygroundError(f"{lm.info.title} has no chat template: use prompt/completion.")
    marked = [{"role": m["role"], "content": _MARK.format(i)} for i, m in enumerate(messages)]
    special = lm.info.special
    rendered = render_chat(
        template,
        marked,
        add_generation_prompt=False,
        bos_token=lm.token_text(special.bos_id) if special.bos_id is not None else "",
        eos_token=lm.token_text(special.eos_id) if special.eos_id is not None else "",
    )
    ids: list[int] = []
    trained: list[bool] = []
    rest, after_assistant = rendered, False
    for i, message in enumerate(messages):
        before, found, rest = rest.partition(_MARK.format(i))
        if not found:
            raise PlaygroundError("The model's chat template does not place every message.")
        template_ids = lm.encode(before)  # control tokens are single ids
        ids += template_ids
        # after an assistant's words, the template's next token ends its turn: learnt too
        trained += [after_assistant and k == 0 for k in range(len(template_ids))]
        words = lm.encode(message["content"], special=False, continues=True)
        assistant = message["role"] == "assistant"
        ids += words
        trained += [assistant] * len(words)
        after_assistant = assistant
    tail = lm.encode(rest)
    ids += tail
    trained += [after_assistant and k == 0 for k in range(len(tail))]
    return Example(tuple(ids), tuple(trained), json.dumps(messages, ensure_ascii=False))


def _json_lines(lm: LanguageModel, name: str, text: str) -> list[tuple[int, Example]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise PlaygroundError(f"{name}, line {number}: not JSON ({error.args[0]}).") from None
        found.append((number, _record(lm, name, number, record)))
    return found


def _record(lm: LanguageModel, name: str, number: int, record: object) -> Example:
    where = f"{name}, line {number}"
    if isinstance(record, dict) and "messages" in record:
        messages = record["messages"]
        ok = (
            isinstance(messages, list)
            and messages
            and all(
                isinstance(m, dict)
                and m.get("role") in ("system", "user", "assistant")
                and isinstance(m.get("content"), str)
                for m in messages
            )
        )
        if not ok:
            raise PlaygroundError(
                f'{where}: "messages" must be a list of {{"role": "user" | "assistant" | '
                '"system", "content": "..."}.'
            )
        if not any(m["role"] == "assistant" for m in messages):
            raise PlaygroundError(f"{where}: no assistant message to learn.")
        return chat_example(lm, messages)
    if isinstance(record, dict) and isinstance(record.get("completion"), str):
        prompt = record.get("prompt", "")
        if not isinstance(prompt, str):
            raise PlaygroundError(f'{where}: "prompt" must be text.')
        if not record["completion"].strip():
            raise PlaygroundError(f'{where}: "completion" is empty.')
        return plain_example(lm, prompt, record["completion"])
    raise PlaygroundError(
        f'{where}: expected {{"prompt": "...", "completion": "..."}} or {{"messages": [...]}}.'
    )


def _passages(lm: LanguageModel, text: str) -> list[tuple[int, Example]]:
    found, number, lines = [], 0, []
    for index, line in enumerate([*text.splitlines(), ""], 1):
        if line.strip():
            number = number or index
            lines.append(line)
        elif lines:
            found.append((number, plain_example(lm, "", "\n".join(lines))))
            number, lines = 0, []
    return found
