"""Retrieval-augmented generation, made visible: the passages found for a question are put
into the chat prompt, the answer is generated with and without them, and each passage's
part in the answer is measured two ways:

- attention share: of all the attention the answer's tokens pay (mean over layers, heads
  and answer positions), the fraction that lands on the passage's tokens;
- attribution: log p(answer | prompt) - log p(answer | prompt without that passage), in
  nats: how much less likely the same answer becomes when the passage is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.engine.inspect.run import Run
from playground.engine.inspect.search_index import Hit
from playground.engine.prompt.chat import chat_prompt
from playground.engine.prompt.model_input import CHAT
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import Sampler, SamplingSettings
from playground.engine.sampling.generation import generate_tokens

ANSWER_TOKENS = 40
INSTRUCTION = "Answer the question in one sentence, using the context."


@dataclass(frozen=True)
class RagPrompt:
    message: str  # the user message: context passages, then the question
    text: str  # what the model reads, chat template included
    ids: list[int]
    passage_spans: list[tuple[int, int]]  # token range [start, end) of each passage


def rag_message(question: str, passages: Sequence[str]) -> str:
    if not passages:
        return question
    context = "\n\n".join(f"[{i + 1}] {text}" for i, text in enumerate(passages))
    return f"{INSTRUCTION}\n\nContext:\n{context}\n\nQuestion: {question}"


def rag_prompt(lm: LanguageModel, question: str, passages: Sequence[str]) -> RagPrompt:
    """The chat prompt exactly as the window's chat mode makes it from the message, with
    where each passage's tokens are."""
    message = rag_message(question, passages)
    prompt = chat_prompt(lm, message)
    head = prompt.content_span[0]
    spans = []
    for i, text in enumerate(passages):
        label = f"[{i + 1}] "
        start_char = message.index(label + text) + len(label)
        # the message's tokens before a character: boundaries fall after a newline, where
        # the tokenizer splits anyway, so the prefix's tokens are the whole's first tokens
        start = head + len(lm.encode(message[:start_char], special=False))
        end = head + len(lm.encode(message[: start_char + len(text)], special=False))
        spans.append((start, end))
    return RagPrompt(message, prompt.text, prompt.ids, spans)


def greedy_answer(
    lm: LanguageModel, ids: Sequence[int], max_tokens: int = ANSWER_TOKENS
) -> list[int]:
    """The most likely continuation, token by token, up to the end of the model's turn."""
    settings = SamplingSettings(temperature=0.0)
    tokens = [t for t in generate_tokens(lm, ids, max_tokens, settings, Sampler(0))]
    return [t.token_id for t in tokens if not t.stop]


def answer_log_prob(lm: LanguageModel, ids: Sequence[int], answer: Sequence[int]) -> float:
    """log p(answer | ids), in nats: the answer's tokens read after the prompt."""
    if not answer:
        return 0.0
    logits = lm.forward(list(ids) + list(answer)).logits  # (T, V)
    rows = logits[len(ids) - 1 : len(ids) - 1 + len(answer)].astype(np.float64)  # (A, V)
    peak = rows.max(axis=1, keepdims=True)
    log_z = np.log(np.exp(rows - peak).sum(axis=1)) + peak[:, 0]
    return float((rows[np.arange(len(answer)), list(answer)] - log_z).sum())


@dataclass(frozen=True)
class RagResult:
    run: Run  # the answer's run: the chat prompt with the passages, greedy
    run_without: Run  # the same question without them
    question: str
    hits: list[Hit]
    prompt: RagPrompt
    answer: str
    answer_ids: list[int]
    answer_without_context: str
    attention_share: list[float]  # per passage, fraction of the answer's attention
    attribution: list[float]  # per passage, nats the answer loses without it


def answer_with_passages(
    lm: LanguageModel, question: str, hits: Sequence[Hit], max_tokens: int = ANSWER_TOKENS
) -> RagResult:
    passages = [h.passage.text for h in hits]
    prompt = rag_prompt(lm, question, passages)
    answer = greedy_answer(lm, prompt.ids, max_tokens)
    bare = chat_prompt(lm, question)
    without = greedy_answer(lm, bare.ids, max_tokens)
    greedy = SamplingSettings(temperature=0.0)
    return RagResult(
        run=Run.of(lm, (CHAT, prompt.message), prompt.ids, sampler=greedy),
        run_without=Run.of(lm, (CHAT, question), bare.ids, sampler=greedy),
        question=question,
        hits=list(hits),
        prompt=prompt,
        answer=lm.decode(answer),
        answer_ids=answer,
        answer_without_context=lm.decode(without),
        attention_share=attention_shares(lm, prompt, answer),
        attribution=passage_attribution(lm, question, passages, answer),
    )


def attention_shares(lm: LanguageModel, prompt: RagPrompt, answer: Sequence[int]) -> list[float]:
    if not answer or not prompt.passage_spans:
        return [0.0] * len(prompt.passage_spans)
    forward = lm.forward(list(prompt.ids) + list(answer))
    n = len(prompt.ids)
    # rows: the positions that predict the answer's tokens (the last prompt token onwards)
    rows = slice(n - 1, n - 1 + len(answer))
    maps = forward.attentions
    shares = np.zeros(len(prompt.passage_spans))
    for layer in range(len(maps)):
        rows_of_layer = maps.layer(layer)[:, rows]  # (H, A, T)
        for k, (start, end) in enumerate(prompt.passage_spans):
            shares[k] += rows_of_layer[:, :, start:end].sum(axis=-1).mean()  # heads, rows
    shares /= len(maps)  # mean over layers
    return [float(s) for s in shares]


def passage_attribution(
    lm: LanguageModel, question: str, passages: Sequence[str], answer: Sequence[int]
) -> list[float]:
    full = answer_log_prob(lm, rag_prompt(lm, question, passages).ids, answer)
    scores = []
    for i in range(len(passages)):
        rest = [p for j, p in enumerate(passages) if j != i]
        scores.append(full - answer_log_prob(lm, rag_prompt(lm, question, rest).ids, answer))
    return scores
