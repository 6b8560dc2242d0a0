"""Chat as next-token prediction: a user message wrapped in the model's chat template.

The template is the Jinja text shipped in the GGUF (`tokenizer.chat_template`), rendered
with Jinja's sandbox, as Hugging Face's `apply_chat_template` does. Control tokens of the
template (`<|im_start|>`, ...) become their single ids; the user's own words are always
tokenized as plain text, even if they contain such strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2.sandbox import ImmutableSandboxedEnvironment

from playground.engine.errors import PlaygroundError
from playground.engine.runtime.language_model import LanguageModel

_CONTENT = "\ue000user-message\ue001"  # private-use marker where the message goes


@dataclass(frozen=True)
class ChatPrompt:
    text: str  # exactly what the model reads, template included
    ids: list[int]
    content_span: tuple[int, int]  # token index range holding the user's message


def render_chat(
    template: str,
    messages: list[dict[str, str]],
    add_generation_prompt: bool = True,
    bos_token: str = "",
    eos_token: str = "",
) -> str:
    environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    environment.globals["raise_exception"] = _template_error  # as Hugging Face defines it
    try:
        return environment.from_string(template).render(
            messages=messages,
            add_generation_prompt=add_generation_prompt,
            bos_token=bos_token,  # Llama's and Mistral's templates begin with it
            eos_token=eos_token,
        )
    except Exception as error:  # a template the sandbox refuses or cannot render
        raise PlaygroundError(f"The model's chat template cannot be used: {error}") from error


def _template_error(message: str) -> None:
    raise PlaygroundError(f"The model's chat template refused the conversation: {message}")


def chat_prompt(lm: LanguageModel, user_message: str) -> ChatPrompt:
    template = lm.info.chat_template
    if not template:
        raise PlaygroundError(f"{lm.info.title} has no chat template: it is not a chat model.")
    special = lm.info.special
    rendered = render_chat(
        template,
        [{"role": "user", "content": _CONTENT}],
        bos_token=lm.token_text(special.bos_id) if special.bos_id is not None else "",
        eos_token=lm.token_text(special.eos_id) if special.eos_id is not None else "",
    )
    if rendered.count(_CONTENT) != 1:
        raise PlaygroundError("The model's chat template does not place the message once.")
    before, after = rendered.split(_CONTENT)
    # The spaces just before the message go with it: tokenizers join a space to the word
    # after it (" the", "▁the"), so cutting there would split what the model reads whole.
    template_part = before.rstrip(" ")
    message = before[len(template_part) :] + user_message
    head = lm.encode(template_part)  # template: control tokens are single ids
    # the user's words, always plain text, go on from the template's text before them
    # (a SentencePiece model puts a space only after a special token)
    after_special = not template_part or (
        bool(head) and lm.is_special(head[-1]) and template_part.endswith(lm.token_text(head[-1]))
    )
    body = lm.encode(message, special=False, continues=not after_special)
    tail = lm.encode(after, continues=bool(message) or not after_special)
    return ChatPrompt(
        text=before + user_message + after,
        ids=head + body + tail,
        content_span=(len(head), len(head) + len(body)),
    )
