"""From what a person typed to the token ids the model reads, with a notice for every
change made on the way.

Whatever the text holds, this never raises for the text's sake:
- lone UTF-16 surrogates (which are not characters and cannot be encoded) become U+FFFD;
- strings that look like control tokens ("<|im_start|>") are plain text outside chat
  mode: a person typing them gets the characters, not the control token;
- a prompt longer than the analysis limit is cut to its last `limit` tokens. The
  analysis keeps, per token, its hidden states, queries, keys and values (~0.2 MB for
  SmolLM2), and the model run's temporary arrays grow with T^2 (the attention maps of
  one layer: 150 MB at 2,048 tokens); 2,048 tokens stay within 2 GB in all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playground.engine.prompt.chat import chat_prompt
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.text.tokens import clean_text

TEXT, CHAT = "text", "chat"
Source = tuple[str, str]  # (TEXT, prompt) or (CHAT, user message): what the user asked for

ANALYSIS_TOKEN_LIMIT = 2048


# What was changed on the way in, by kind: the English text (the commands print it), whose
# {fields} the window fills into the same template in its own language.
NOTICE_TEXTS = {
    "invalid_character": "{count} invalid character (lone surrogates) replaced by U+FFFD.",
    "invalid_characters": "{count} invalid characters (lone surrogates) replaced by U+FFFD.",
    "typed_control_tokens": (
        "{tokens} typed in the prompt is read as plain text, not as a control token "
        "(switch on chat mode to use the model's chat template)."
    ),
    "cut_to_limit": (
        "The prompt is {length} tokens long; only the last {limit} are analysed "
        "(the first {dropped} are left out). The text itself is kept."
    ),
}


class Notice(str):
    """A notice's English text, knowing its kind (a key of NOTICE_TEXTS) and its fields
    (the values as shown), so that it can be said in another language."""

    kind: str
    fields: dict[str, str]

    def __new__(cls, kind: str, **fields: str) -> Notice:
        notice = super().__new__(cls, NOTICE_TEXTS[kind].format(**fields))
        notice.kind, notice.fields = kind, fields
        return notice


@dataclass(frozen=True)
class ModelInput:
    ids: list[int]  # what the model reads (at most the limit)
    dropped_tokens: int  # tokens cut from the start to fit the limit
    notices: tuple[Notice, ...]  # what was changed or is worth knowing


def model_input(lm: LanguageModel, source: Source, limit: int | None = None) -> ModelInput:
    """The ids the model reads for a request: the text as plain text, or the message in
    the model's chat template; the last `limit` of them if there are more."""
    mode, raw = source
    text, bad = clean_text(raw)
    notices: list[Notice] = []
    if bad:
        notices.append(Notice("invalid_character" + "s" * (bad != 1), count=f"{bad:,}"))
    if mode == CHAT:
        ids = chat_prompt(lm, text).ids
    else:
        ids = lm.encode(text, special=False)
        typed = sorted({lm.token_text(i) for i in lm.info.special.special_ids} & _words(text))
        if typed:
            notices.append(Notice("typed_control_tokens", tokens=", ".join(typed)))
    special = lm.info.special
    bos = [special.bos_id] if special.add_bos and special.bos_id is not None else []
    if bos and mode != CHAT:  # (a chat template writes its own BOS)
        ids = bos + ids
    limit = min(limit or ANALYSIS_TOKEN_LIMIT, lm.context_length)
    dropped = max(0, len(ids) - limit)
    if dropped:
        numbers = {"length": len(ids), "limit": limit, "dropped": dropped}
        notices.append(Notice("cut_to_limit", **{k: f"{v:,}" for k, v in numbers.items()}))
        ids = ids[dropped:]
    return ModelInput(ids, dropped, tuple(notices))


def _words(text: str) -> set[str]:
    """Every <|...|>-style or <...> marker in the text (candidates for control tokens)."""
    return set(re.findall(r"<[^<>\s]{1,40}>", text))
