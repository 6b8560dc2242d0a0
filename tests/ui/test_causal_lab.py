"""The Causal lab in the real window: the patching heatmap is the engine's computation of
the same prompts, a cell opens as the run on screen (every panel's numbers are that
patched run's), editing the prompt drops the patch; steering changes the run on screen
(the next-token chart equals an independent steered forward), the two continuations are
the engine's, and a session file keeps the steering; the routes drawn are the engine's
edges at the slider's threshold, and an edge opens its layer's attention."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.comparison import softmax
from playground.engine.inspect.patching import activation_patching
from playground.engine.inspect.routes import information_routes
from playground.engine.inspect.run import Run
from playground.engine.inspect.steering_directions import continue_steered, text_direction
from playground.engine.prompt.model_input import TEXT, model_input
from playground.engine.runtime.interventions import NO_INTERVENTIONS
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = pytest.mark.real_model
CLEAN, CORRUPTED = "The capital of France is", "The capital of Italy is"


def _ids(lm, text):
    return model_input(lm, (TEXT, text)).ids


def test_patching_heatmap_and_a_cell_opened_in_every_panel(qtbot, make_window, real_model):
    window = make_window(persist=False, prompt="Hello")
    s, view, tab = window.session, window.session.causal.patching, window.causal.patching
    window.show_panel("causal")
    window.causal.show_tab("patching")
    tab.clean.setText(CLEAN)
    tab.corrupted.setText(CORRUPTED)
    tab.site.setCurrentIndex(tab.site.findData("resid"))
    tab.run_button.click()
    qtbot.waitUntil(lambda: view.result is not None, timeout=patience(120_000))
    lm = real_model
    runs = [Run.of(lm, (TEXT, t), _ids(lm, t)) for t in (CLEAN, CORRUPTED)]
    expected = activation_patching(lm, *runs, "resid")
    np.testing.assert_allclose(tab.heatmap.effect, expected.effect, atol=1e-4)
    assert (
        tab.heatmap.columns[3]
        == f"{lm.piece(_ids(lm, CLEAN)[3]).label}/{lm.piece(_ids(lm, CORRUPTED)[3]).label}"
    )
    assert "Paris" in tab.status.text() and "Rome" in tab.status.text()
    # a cell: the corrupted prompt with the stream entering block 12 patched at ' Italy'
    tab.heatmap.cell_clicked.emit(12, 3)
    wait_for_analysis(qtbot, window)
    assert s.prompt == CORRUPTED and len(s.analysis.run.interventions.patches) == 1
    patched = lm.forward(_ids(lm, CORRUPTED), interventions=expected.cell_run(12, 3).interventions)
    shown = s.analysis.next_token.raw_logits
    np.testing.assert_allclose(shown, patched.next_token_logits, atol=1e-3)
    probs = softmax(shown)
    assert lm.piece(int(np.argmax(probs))).display == " Paris"  # the fact came back
    assert "patched" in window.status_line.added.text()
    s.set_prompt("The capital of Spain is", immediate=True)  # the patch belonged to those
    wait_for_analysis(qtbot, window)  # tokens: another prompt drops it
    assert s.analysis.run.interventions.patches == ()


def test_prompts_of_different_lengths_are_refused_in_one_line(make_window):
    window = make_window(persist=False, prompt="Hello")
    view = window.session.causal.patching
    view.set_inputs(CLEAN, "The capital of Italy", "resid")
    view.run()
    assert not view.running and view.result is None
    assert "5" in view.error and "4" in view.error and "\n" not in view.error
    assert view.error == window.causal.patching.status.text()


def test_steering_the_run_on_screen(qtbot, make_window, real_model, tmp_path):
    window = make_window(persist=False, prompt="I think that you are")
    s, view, tab = window.session, window.session.causal.steering, window.causal.steering
    window.show_panel("causal")
    window.causal.show_tab("steering")
    view.set_texts("I love you", "I hate you")
    view.set_layer(6)
    tab.strength.setValue(-20)  # -2.0
    tab.enabled.setChecked(True)
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.steering is not None,
        timeout=patience(30_000),
    )
    lm = real_model
    steering = text_direction(lm, "I love you", "I hate you", 6, -2.0)
    assert s.analysis.run.interventions.steering == steering
    ids = _ids(lm, "I think that you are")
    steered = lm.forward(ids, interventions=NO_INTERVENTIONS.with_steering(steering))
    np.testing.assert_allclose(
        s.analysis.next_token.raw_logits, steered.next_token_logits, atol=1e-3
    )
    assert "-2.0" in tab.strength_label.text() and "hidden 6" in window.status_line.added.text()
    # the slider moves the run at once
    tab.strength.setValue(20)
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.steering.strength == 2.0,
        timeout=patience(30_000),
    )
    tab.pair_button.click()
    qtbot.waitUntil(lambda: view.pair.current, timeout=patience(120_000))
    expected = continue_steered(lm, ids, s.interventions.value, s.seed, 30, s.sampling)
    assert (tab.plain_text.toPlainText(), tab.steered_text.toPlainText()) == expected
    assert expected[0] != expected[1]
    # a session file keeps it; opened in a fresh window, the run is steered the same way
    path = window.save_session_file(tmp_path / "steered.llmplay")
    second = make_window(persist=False, prompt="Hello")
    second.open_session_file(path)
    qtbot.waitUntil(
        lambda: (
            second.session.analysis_is_current
            and second.session.analysis.run.interventions.steering is not None
        ),
        timeout=patience(30_000),
    )
    assert second.session.analysis.run.interventions == s.interventions.value
    assert second.session.causal.steering.enabled and second.causal.steering.enabled.isChecked()
    tab.enabled.setChecked(False)
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.steering is None,
        timeout=patience(30_000),
    )


def test_the_best_layer_sweep_is_drawn_and_chooses_a_layer(qtbot, make_window):
    window = make_window(persist=False, prompt="I think that you are")
    view, tab = window.session.causal.steering, window.causal.steering
    window.show_panel("causal")
    window.causal.show_tab("steering")
    view.set_texts("I love you", "I hate you")
    tab.sweep_button.click()
    qtbot.waitUntil(lambda: view.sweep.current, timeout=patience(120_000))
    sweep = view.sweep.result
    heights = tab.bars.opts["height"]
    np.testing.assert_allclose(heights, sweep.kl_bits)
    assert len(heights) == window.session.model_info.architecture.n_layer - 1


def test_routes_drawn_at_the_threshold_and_an_edge_opens_attention(qtbot, make_window, real_model):
    window = make_window(persist=False, prompt="The Eiffel Tower is in the city of")
    s, view, tab = window.session, window.session.causal.routes, window.causal.routes
    window.show_panel("causal")
    window.causal.show_tab("routes")
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: view.routes is not None, timeout=patience(60_000))
    expected = information_routes(real_model, s.analysis.run)
    np.testing.assert_allclose(view.routes.attention_shares, expected.attention_shares, atol=1e-6)
    tab.threshold.setValue(10)
    assert view.threshold == 0.10
    drawn = tab.graph.edges
    assert drawn == expected.edges_at(0.10) and drawn
    assert len(tab.graph.edges) <= len(expected.edges_at(0.04))
    attention_edge = next(e for e in drawn if e.kind == "attention")
    tab.graph.edge_clicked.emit(attention_edge.layer)
    assert s.attention_view.layer == attention_edge.layer
    assert window.docks["attention"].isVisible()


def test_the_tab_on_screen_exports_its_numbers(qtbot, make_window, tmp_path):
    import json

    from playground.engine.errors import PlaygroundError

    window = make_window(persist=False, prompt="The Eiffel Tower is in the city of")
    window.show_panel("causal")
    window.causal.show_tab("patching")
    with pytest.raises(PlaygroundError):
        window.export_panel("causal", tmp_path / "nothing.json")
    window.causal.show_tab("routes")
    wait_for_analysis(qtbot, window)
    view = window.session.causal.routes
    qtbot.waitUntil(lambda: view.routes is not None, timeout=patience(60_000))
    path = window.export_panel("causal", tmp_path / "routes.json")
    rows = json.loads(path.read_text())["rows"]
    assert [(r["layer"], r["from"], r["to"]) for r in rows] == [
        (e.layer, e.source, e.target) for e in view.edges()
    ]


def test_a_one_token_direction_is_said_to_be_the_sinks(qtbot, make_window):
    window = make_window(persist=False, prompt="I think that you are")
    view, tab = window.session.causal.steering, window.causal.steering
    view.set_texts("love", "I hate you")
    view.set_enabled(True)
    qtbot.waitUntil(lambda: view.current_direction is not None, timeout=patience(30_000))
    assert "attention sink" in tab.info.text() and "Write two words" in tab.info.text()
    view.set_texts("I love you", "I hate you")
    qtbot.waitUntil(
        lambda: (
            view.current_direction is not None
            and view.current_direction.steering.toward == "I love you"
        ),
        timeout=patience(30_000),
    )
    assert "attention sink" not in tab.info.text()


def test_a_patch_stays_while_generating_and_goes_with_another_prompt_or_chat(
    qtbot, make_window, real_model
):
    window = make_window(persist=False, prompt="Hello")
    s, view = window.session, window.session.causal.patching
    view.set_inputs(CLEAN, CORRUPTED, "mlp")
    view.run()
    qtbot.waitUntil(lambda: view.result is not None, timeout=patience(120_000))
    view.open_cell(23, 4)
    wait_for_analysis(qtbot, window)
    patch = s.analysis.run.interventions.patches
    assert len(patch) == 1 and s.prompt == CORRUPTED
    s.generate(3)  # the patched prompt continued: the patch stays on its tokens
    qtbot.waitUntil(lambda: not s.generating, timeout=patience(60_000))
    wait_for_analysis(qtbot, window)
    assert s.analysis.n_tokens == 8 and s.analysis.run.interventions.patches == patch
    s.set_chat_mode(True)  # the chat template's tokens are others: the patch goes
    wait_for_analysis(qtbot, window)
    assert s.analysis.run.interventions.patches == ()
    # a heatmap of other prompts typed in the tab is not the one shown any more
    view.set_inputs("The capital of Spain is", CORRUPTED, "mlp")
    assert view.result is None


def test_a_new_model_takes_the_steering_and_the_sweep_away(qtbot, make_window, real_model):
    window = make_window(persist=False, prompt="I think that you are")
    s, view = window.session, window.session.causal.steering
    view.set_enabled(True)
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.steering is not None,
        timeout=patience(30_000),
    )
    view.find_best_layer()
    qtbot.waitUntil(lambda: view.sweep.current, timeout=patience(120_000))
    s.set_prompt("The cat sat on the", immediate=True)  # the sweep was for the other prompt
    wait_for_analysis(qtbot, window)
    assert not view.sweep.current and window.causal.steering.bars is None
    window.start_loading(real_model)  # a model opened again: what was done to the old goes
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.empty,
        timeout=patience(60_000),
    )
    assert not view.enabled and not window.causal.steering.enabled.isChecked()
