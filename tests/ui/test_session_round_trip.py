"""A session saved with every panel in a non-default state opens into the same state: the
interventions, the run pinned as A, Inside a layer, Attribution, Sentences and Search
(their state objects and the controls that show them)."""

from __future__ import annotations

import json

import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = [pytest.mark.real_model, pytest.mark.real_encoder]


def _panels(window) -> dict:
    s = window.session
    for key in ("inside_layer", "attribution", "sentences", "search"):  # drawn while shown
        window.show_panel(key)
    return {
        "interventions": s.interventions.value,
        "pinned": s.pinned.run,
        "inside_layer": s.layer_trace.to_dict(),
        "attribution": s.attribution.to_dict(),
        "sentences": s.sentences.to_dict(),
        "search": s.search.to_dict(),
        "patching": s.causal.patching.to_dict(),
        "steering": s.causal.steering.to_dict(),
        "routes": s.causal.routes.threshold,
        "widgets": (
            window.inside_layer.layer.value(),
            window.inside_layer.head.value(),
            window.attribution.unit.currentIndex(),
            window.sentences.editor.toPlainText(),
            window.sentences.presets.currentIndex(),
            window.search.query.text(),
            window.search.top.value(),
            window.causal.patching.corrupted.text(),
            window.causal.patching.site.currentData(),
            window.causal.steering.toward.text(),
            window.causal.routes.threshold.value(),
        ),
    }


def test_every_panels_settings_survive_save_and_open(qtbot, make_window, tmp_path):
    first = make_window(persist=False, prompt="The capital of France is")
    s = first.session
    s.interventions.set_knocked_out(KnockOut.parse("23.4,29.mlp", s.model_info.architecture))
    s.interventions.set_ablation("mean")
    wait_for_analysis(qtbot, first)
    s.set_sampling(SamplingSettings(temperature=0.7, top_k=30))
    s.pin_current()  # A: this prompt, knocked out, with this sampler
    s.interventions.clear()
    s.set_prompt("The capital of Spain is", immediate=True)
    wait_for_analysis(qtbot, first)
    paris = s.model.encode(" Paris", continues=True)[0]
    s.layer_trace.set_layer(7)
    s.layer_trace.set_head(3)
    s.layer_trace.set_step(4)
    s.attribution.set_unit("line")
    s.attribution.set_target(paris)
    s.sentences.set_sentences(["A cat sat.", "", "A dog ran.", "Stocks fell."])
    s.sentences.set_pair(0, 2)
    s.search.set_top(4)
    s.search.search("Where is the Eiffel Tower?")
    s.causal.patching.set_inputs("The capital of Spain is", "The capital of Italy is", "mlp")
    s.causal.steering.set_texts("I feel happy", "I feel sad")
    s.causal.steering.set_layer(9)
    s.causal.routes.set_threshold(0.2)
    qtbot.waitUntil(lambda: s.search.result is not None, timeout=patience(120_000))
    before = _panels(first)
    assert before["inside_layer"] == {"layer": 7, "head": 3, "step": 4, "all_steps": False}
    assert before["widgets"][:2] == (7, 3)
    assert before["sentences"]["lines"] == ["A cat sat.", "", "A dog ran.", "Stocks fell."]
    saved = first.save_session_file(tmp_path / "every-panel")
    document = json.loads(saved.read_text())
    assert document["format"] == 2 and set(document["panels"]) == {
        "inside_layer",
        "attribution",
        "sentences",
        "search",
        "patching",
        "steering",
        "routes",
    }
    assert before["widgets"][-4:] == ("The capital of Italy is", "mlp", "I feel happy", 20)

    second = make_window(persist=False, prompt="Something else entirely")
    assert second.open_session_file(saved) == []
    t = second.session
    qtbot.waitUntil(
        lambda: t.pinned.pinned and t.analysis_is_current and t.search.result is not None,
        timeout=patience(120_000),
    )
    after = _panels(second)
    assert after == before
    assert t.search.result.query == "Where is the Eiffel Tower?"
    assert len(t.search.result.hits) == 4
    assert t.pinned.knock_out.ablation == "mean" and t.pinned.settings.temperature == 0.7
    # A's numbers are A's run again: the same logits as in the first window
    assert (t.pinned.logits == s.pinned.logits).all()


def test_a_format_1_session_still_opens_and_keeps_the_panels(qtbot, make_window, tmp_path):
    first = make_window(persist=False, prompt="Hello there")
    document = json.loads(first.save_session_file(tmp_path / "old").read_text())
    document["format"] = 1
    del document["panels"]
    old = tmp_path / "old-format.llmplay"
    old.write_text(json.dumps(document))
    second = make_window(persist=False, prompt="Other")
    second.session.layer_trace.set_layer(5)
    assert second.open_session_file(old) == []
    wait_for_analysis(qtbot, second)
    assert second.session.prompt == "Hello there"
    assert second.session.layer_trace.layer == 5  # (not in the file: left as it was)


@pytest.mark.parametrize(
    "panels",
    [
        {"inside_layer": {"layer": "seven"}},
        {"sentences": {"lines": "not a list"}},
        {"search": []},
        {"steering": {"layer": "six"}},
        {"routes": {"threshold": "high"}},
    ],
)
def test_damaged_panel_settings_change_nothing(qtbot, make_window, tmp_path, panels):
    first = make_window(persist=False, prompt="Hello there")
    document = json.loads(first.save_session_file(tmp_path / "a").read_text())
    document["panels"] = panels
    damaged = tmp_path / "damaged.llmplay"
    damaged.write_text(json.dumps(document))
    first.session.set_prompt("Kept as it is", immediate=True)
    wait_for_analysis(qtbot, first)
    with pytest.raises(PlaygroundError, match="damaged"):
        first.open_session_file(damaged)
    assert first.session.prompt == "Kept as it is"
