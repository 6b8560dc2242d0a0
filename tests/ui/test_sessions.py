"""Sessions: save -> open gives the same screens, and a restored branch continues with
exactly the tokens the original would have drawn."""

from __future__ import annotations

import json

import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.attention_view import Scope
from playground.engine.sampling.distribution import SamplingSettings
from playground.ui.state.attention_view import AttentionView
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis


def _settle(qtbot, window) -> None:
    qtbot.waitUntil(
        lambda: not window.session.generating and window.session.analysis_is_current,
        timeout=patience(60_000),
    )


def _state(window) -> dict:
    s = window.session
    return {
        "prompt": s.prompt,
        "ids": s.analysis.ids,
        "chat": s.chat_mode,
        "sampling": s.sampling,
        "top_n": s.top_n,
        "seed": s.seed,
        "selected": s.selected_token,
        "view": s.attention_view,
        "branches": [(b.ids, [t.prob for t in b.tokens], b.parent) for b in s.branches],
        "branch": s.branch_index,
        "top": [c.token_id for c in s.distribution.top(5)],
        "compare": window.embeddings.compare_result.text(),
    }


@pytest.mark.real_model
def test_save_then_open_restores_the_same_screens_and_continues_identically(
    qtbot, make_window, tmp_path
):
    first = make_window(persist=False, prompt="Once upon a time, there was a little")
    s = first.session
    s.set_sampling(SamplingSettings(temperature=0.9, top_k=40, top_p=0.95))
    s.set_seed(77)
    assert s.generate(6)
    _settle(qtbot, first)
    alternative = s.branches[0].tokens[2].alternatives[1].token_id
    s.branch_from(0, 2, alternative)  # a second branch, from the third token
    _settle(qtbot, first)
    assert s.generate(3)  # its sampler has drawn: its random state is no longer the seed's
    _settle(qtbot, first)
    s.set_attention_view(AttentionView(Scope.HEAD, 13, 8, hide_first=True, all_layers=True))
    s.select_token(4)
    first.embeddings.compare_b.setText("apple")
    saved = first.save_session_file(tmp_path / "lesson")
    assert saved.name == "lesson.llmplay"
    document = json.loads(saved.read_text())
    assert document["model"]["sha256"] == s.model_info.source_sha256
    before = _state(first)

    second = make_window(persist=False, prompt="Something else entirely")
    assert second.open_session_file(saved) == []
    _settle(qtbot, second)
    qtbot.waitUntil(lambda: second.session.selected_token == 4, timeout=patience(10_000))
    assert _state(second) == before

    # Continue the restored branch in both windows: the same tokens come out.
    for window in (first, second):
        assert window.session.generate(5)
        _settle(qtbot, window)
    assert second.session.branches[-1].ids == first.session.branches[-1].ids
    assert len(first.session.branches[-1].tokens) > len(before["branches"][-1][1])


@pytest.mark.real_model
def test_a_damaged_session_file_changes_nothing(qtbot, make_window, tmp_path):
    window = make_window(persist=False, prompt="The capital of France is")
    before = _state(window)
    for content in ("{not json", json.dumps({"format": 99}), json.dumps({"format": 1})):
        path = tmp_path / "bad.llmplay"
        path.write_text(content)
        with pytest.raises(PlaygroundError, match=r"bad\.llmplay|damaged"):
            window.open_session_file(path)
        assert _state(window) == before


@pytest.mark.real_model
def test_a_session_from_another_model_restores_prompt_and_settings_only(
    qtbot, make_window, tmp_path
):
    window = make_window(persist=False, prompt="Once upon a time")
    assert window.session.step()
    _settle(qtbot, window)
    document = json.loads(window.save_session_file(tmp_path / "s.llmplay").read_text())
    document["model"] = {"name": "other", "title": "Other model", "sha256": "0" * 64}
    (tmp_path / "other.llmplay").write_text(json.dumps(document))
    window.session.set_prompt("changed", immediate=True)
    wait_for_analysis(qtbot, window)
    notes = window.open_session_file(tmp_path / "other.llmplay")
    wait_for_analysis(qtbot, window)
    assert "made with Other model" in notes[0]
    assert window.session.branches == []
    assert window.session.prompt == document["prompt"]


def test_a_compare_survives_in_a_saved_session(qtbot, make_window, tmp_path):
    first = make_window(persist=False, prompt="The capital of France is")
    first.next_token.pin.click()
    first.session.set_prompt("The capital of Italy is", immediate=True)
    _settle(qtbot, first)
    kl = first.session.pinned.against(first.session.analysis).kl_bits
    saved = first.save_session_file(tmp_path / "compare")
    second = make_window(persist=False, prompt="Something else entirely")
    assert second.open_session_file(saved) == []
    _settle(qtbot, second)
    qtbot.waitUntil(lambda: second.session.pinned.pinned, timeout=patience(10_000))
    assert second.session.pinned.source == ("text", "The capital of France is")
    again = second.session.pinned.against(second.session.analysis)
    assert again.kl_bits == pytest.approx(kl, rel=1e-5)
    assert "Against A" in second.next_token.comparison.text()
