"""The Inside a layer panel and the receipt of a probability, in the real window: the
numbers shown are the engine's trace (held against the numpy reference in the engine's
tests), the weights are the attention panel's, the receipt ends at the chart's value."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.attention_view import Scope
from playground.engine.inspect.layer_trace import trace_layer
from playground.ui.state.layer_trace_view import STEPS
from tests.patience import patience
from tests.runs import run_of
from tests.ui.conftest import wait_for_analysis


def _trace_for(qtbot, view, layer, position):
    qtbot.waitUntil(
        lambda: (
            view.trace is not None and (view.trace.layer, view.trace.position) == (layer, position)
        ),
        timeout=patience(30_000),
    )
    return view.trace


@pytest.mark.real_model
def test_a_token_is_followed_through_a_layer_step_by_step(qtbot, make_window, real_model):
    prompt = "The capital of France is"
    window = make_window(prompt=prompt)
    panel, session = window.inside_layer, window.session
    view = panel.view
    assert view.trace is None  # nothing is computed while the panel is hidden
    window.show_panel("inside_layer")
    wait_for_analysis(qtbot, window)
    panel.layer.setValue(23)
    panel.head.setValue(4)
    ids = real_model.encode(prompt)
    trace = _trace_for(qtbot, view, 23, len(ids) - 1)
    expected = trace_layer(real_model, run_of(real_model, ids), 23)
    for name in ("residual_in", "attn_norm", "q", "scores", "probs", "act", "residual_out"):
        np.testing.assert_allclose(getattr(trace, name), getattr(expected, name), atol=1e-5)
    # step 4's weights are the attention panel's for the same head
    session.set_attention_view(scope=Scope.HEAD, layer=23, head=4)
    row = window.attention.current_matrix()[len(ids) - 1, : len(ids)]
    np.testing.assert_allclose(trace.probs[4], row, atol=1e-6)
    np.testing.assert_allclose(panel.weights.bars.opts["height"], row, atol=1e-6)
    assert "on #3 '·France'" in panel.steps[3].text.text()

    # walked one step at a time, the diagram highlighting where it is
    assert view.step == 0 and panel.steps[0].isVisible() and not panel.steps[1].isVisible()
    assert not panel.previous.isEnabled()
    for step in range(1, len(STEPS)):
        panel.next.click()
        assert view.step == step and panel.diagram.current == step
        assert panel.steps[step].isVisible() and not panel.steps[step - 1].isVisible()
    assert not panel.next.isEnabled()
    panel.previous.click()
    assert view.step == len(STEPS) - 2
    panel.diagram.step_clicked.emit(3)  # a click on the attention box
    assert view.step == 3
    panel.all_steps.setChecked(True)
    assert all(step.isVisible() for step in panel.steps) and panel.diagram.current is None
    assert "neuron" in panel.neurons.text()

    session.select_token(3)  # another token: followed at once
    trace = _trace_for(qtbot, view, 23, 3)
    np.testing.assert_allclose(trace.residual_in, expected_in(real_model, ids, 23, 3), atol=1e-5)
    rows = panel.export_rows()
    assert {r["value"] for r in rows} >= {"residual_in", "act", "residual_out"}


def expected_in(lm, ids, layer, position):
    return np.asarray(lm.forward(ids).hidden_states)[layer, position]


@pytest.mark.real_model
def test_the_receipt_ends_at_the_probability_the_chart_shows(qtbot, make_window, real_model):
    window = make_window(prompt="The capital of France is")
    session, panel = window.session, window.next_token
    wait_for_analysis(qtbot, window)
    panel.temperature.set_value(0.8)
    panel.temperature.value_changed.emit(0.8)
    second = panel.candidates[1]
    panel.explain(1)
    dialog = panel.receipt
    qtbot.waitUntil(
        lambda: dialog.receipt is not None and dialog.receipt.token == second.token_id,
        timeout=patience(30_000),
    )
    assert dialog.receipt.prob == pytest.approx(second.prob, abs=1e-9)
    assert dialog.receipt.temperature == session.sampling.temperature
    text = dialog.text.toPlainText()
    assert f"= {second.prob:.6f}" in text and "divided by the temperature 0.8" in text
    assert dialog.receipt.logit == pytest.approx(second.logit, abs=1e-3)


def test_keys_outside_a_sliding_window_show_as_out_not_as_a_broken_chart(qtbot):
    """Gemma 3's sliding layers mask earlier keys to -inf before the softmax: those bars
    are empty and say "out"; the chart's range comes from the keys the query sees."""
    from playground.ui.panels.inside_layer.inside_layer_panel import SCORE_BRUSH
    from playground.ui.panels.inside_layer.step_widgets import TokenBars

    bars = TokenBars("q·k / √d")
    qtbot.addWidget(bars)
    bars.show_bars(np.array([-np.inf, -np.inf, 0.5, -1.0, 2.0]), list("abcde"), SCORE_BRUSH)
    assert [item.toPlainText() for item in bars.values] == ["out", "out", "0.50", "-1.00", "2.00"]
    low, high = bars.getViewBox().viewRange()[1]
    assert np.isfinite([low, high]).all() and low < -1.0 and high > 2.0
