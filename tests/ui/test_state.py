"""Small state objects of the window, without a model: the matrix on screen is computed
once per maps and view, the compared words signal only real changes."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.attention_view import Scope
from playground.engine.runtime.attention_maps import AttentionMaps
from playground.ui.state import attention_view as attention_view_module
from playground.ui.state.attention_view import AttentionView, ShownMatrix
from playground.ui.state.compared_words import ComparedWords


def _maps(seed: int, tokens: int = 5) -> AttentionMaps:
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(3, 2, tokens, tokens)) + np.triu(np.full((tokens,) * 2, -1e9), 1)
    probs = np.exp(scores - scores.max(-1, keepdims=True))
    return AttentionMaps(whole=(probs / probs.sum(-1, keepdims=True)).astype(np.float32))


def test_the_matrix_on_screen_is_computed_once_per_maps_and_view(monkeypatch):
    calls = []
    real = attention_view_module.attention_matrix

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(attention_view_module, "attention_matrix", counted)
    shown, maps = ShownMatrix(), _maps(0)
    head = AttentionView(Scope.HEAD, layer=2, head=1)
    first = shown.of(maps, head)
    np.testing.assert_array_equal(first, np.asarray(maps)[2, 1])
    assert shown.of(maps, head) is first and len(calls) == 1  # asked again: not recomputed
    mean = shown.of(maps, AttentionView(Scope.ALL_MEAN))
    np.testing.assert_allclose(mean, np.asarray(maps).mean((0, 1)), rtol=1e-6)
    other = _maps(1)  # a new analysis with the same view
    np.testing.assert_array_equal(shown.of(other, head), np.asarray(other)[2, 1])
    assert len(calls) == 3


def test_compared_words_signal_changes_only_and_round_trip(qtbot):
    words = ComparedWords()
    seen = []
    words.changed.connect(lambda: seen.append(words.words))
    words.set_words("king", "queen")  # the defaults: no change
    words.set_words("Paris", "France")
    assert seen == [("Paris", "France")]
    copy = ComparedWords()
    copy.from_dict(words.to_dict())
    assert copy.words == ("Paris", "France")
    copy.from_dict({"compare": ["only one"]})  # malformed: kept as it was
    copy.from_dict({"compare": [1, 2]})
    assert copy.words == ("Paris", "France")


def test_an_attention_view_round_trips_through_its_dict():
    view = AttentionView(Scope.LAYER_MEAN, layer=3, head=2, hide_first=True, all_layers=True)
    assert AttentionView.from_dict(view.to_dict()) == view
    assert AttentionView.from_dict({"layer": 4}) == AttentionView(layer=4)
    with pytest.raises(ValueError):
        AttentionView.from_dict({"scope": "every other head"})


def test_the_sampling_state_signals_only_changes_and_round_trips(qtbot):
    from playground.engine.sampling.distribution import SamplingSettings
    from playground.ui.state.sampling import SamplingState

    state, seen = SamplingState(), []
    state.changed.connect(lambda: seen.append(1))
    assert state.set_settings(SamplingSettings(top_k=10**9), vocab_size=100)
    assert state.settings.top_k == 100  # clamped to the vocabulary
    assert not state.set_settings(SamplingSettings(top_k=100), vocab_size=100)
    state.set_top_n(500)
    state.set_top_n(500)
    assert state.top_n == 200 and len(seen) == 2
    assert SamplingState.checked(state.to_dict()) == (state.settings, 200)


def test_the_small_states_signal_their_changes_and_round_trip(qtbot):
    from playground.ui.state.generation_options import GenerationOptions
    from playground.ui.state.prompt import PromptState
    from playground.ui.state.selection import Selection

    prompt, seen = PromptState(), []
    prompt.changed.connect(lambda: seen.append("text"))
    prompt.mode_changed.connect(lambda: seen.append("mode"))
    prompt.set_text("Hello")
    assert prompt.set_chat_mode(True) and not prompt.set_chat_mode(True)
    assert seen == ["text", "mode"] and prompt.source() == ("chat", "Hello")
    assert PromptState.checked(prompt.to_dict()) == ("Hello", True)

    selection = Selection()
    assert selection.set(3) and not selection.set(3)
    assert Selection.checked(selection.to_dict()) == 3
    assert Selection.checked({}) is None
    with pytest.raises(ValueError):
        Selection.checked({"selected_token": "third"})

    options = GenerationOptions()
    options.set_seed(2**31 + 5)
    options.set_max_new_tokens(0)
    assert (options.seed, options.max_new_tokens) == (5, 1)
    assert GenerationOptions.checked(options.to_dict()) == (5, 1)
