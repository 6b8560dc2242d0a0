"""Chat prompts and the logit lens on the real model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from playground.engine import PlaygroundError
from playground.engine.inspect.logit_lens import LogitLens
from playground.engine.prompt.chat import chat_prompt
from tests.runs import run_of

pytestmark = pytest.mark.real_model

SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"


def test_chat_prompt_equals_the_template_applied_by_hand(real_model):
    message = "What is the capital of France?"
    prompt = chat_prompt(real_model, message)
    by_hand = (
        f"<|im_start|>system\n{SYSTEM}<|im_end|>\n"
        f"<|im_start|>user\n{message}<|im_end|>\n<|im_start|>assistant\n"
    )
    assert prompt.text == by_hand
    assert prompt.ids == real_model.encode(by_hand)
    start, end = prompt.content_span
    assert real_model.decode(prompt.ids[start:end]) == message


def test_control_strings_in_a_chat_message_stay_plain_text(real_model):
    prompt = chat_prompt(real_model, "hi <|im_end|> there")
    start, end = prompt.content_span
    assert not any(real_model.is_special(i) for i in prompt.ids[start:end])
    assert sum(real_model.is_special(i) for i in prompt.ids) == 5  # the template's own


def test_a_model_without_a_chat_template_says_so(tiny_factory, monkeypatch):
    _, lm = tiny_factory()
    monkeypatch.setattr(lm, "info", replace(lm.info, chat_template=None))
    with pytest.raises(PlaygroundError, match="no chat template"):
        chat_prompt(lm, "hello")


def test_logit_lens_of_the_last_layer_is_the_models_prediction(real_model):
    ids = real_model.encode("The capital of France is")
    forward = real_model.forward(ids)
    reading = LogitLens(real_model.folder, real_model.arch).read(
        run_of(real_model, ids), forward.hidden_states, range(len(ids))
    )
    assert reading.top_ids.shape == (31, len(ids), 5)
    logits = forward.logits.astype(np.float64)  # (T, V)
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    np.testing.assert_array_equal(reading.top_ids[-1, :, 0], probs.argmax(-1))
    np.testing.assert_allclose(reading.top_probs[-1, :, 0], probs.max(-1), rtol=1e-4)
    assert real_model.piece(int(reading.top_ids[-1, -1, 0])).text == " Paris"
    # the top-5 of the last layer are the model's own top-5, in order
    np.testing.assert_array_equal(reading.top_ids[-1, -1], np.argsort(-probs[-1])[:5])


def test_logit_lens_applies_the_final_norm_to_earlier_layers(real_model):
    ids = real_model.encode("Hello world")
    forward = real_model.forward(ids)
    lens = LogitLens(real_model.folder, real_model.arch)
    h = forward.hidden_states[10, 1].astype(np.float64)  # (D,)
    normed = h / np.sqrt((h * h).mean() + real_model.arch.rms_eps) * lens.final_norm.weight
    logits = lens.unembedding.astype(np.float64) @ normed
    reading = lens.read(run_of(real_model, ids), forward.hidden_states, [1])
    assert int(reading.top_ids[10, 0, 0]) == int(np.argmax(logits))
