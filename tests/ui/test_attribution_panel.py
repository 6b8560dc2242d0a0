"""The attribution panel: computed while on screen, for the top token or a chosen one, by
word by default; its bars are forwards of the shortened prompts."""

from __future__ import annotations

import numpy as np
import pytest

from tests.patience import patience
from tests.ui.conftest import wait_for_analysis


def _log_p(lm, ids, token):
    z = lm.forward(ids).next_token_logits.astype(np.float64)
    return z[token] - z.max() - np.log(np.exp(z - z.max()).sum())


def _wait_for_result(qtbot, view, target=None):
    qtbot.waitUntil(
        lambda: (
            view.result is not None
            and not view.running
            and (target is None or view.result.target == target)
        ),
        timeout=patience(30_000),
    )


@pytest.mark.real_model
def test_why_paris_is_shown_and_its_numbers_are_forwards_without_each_word(
    qtbot, make_window, real_model
):
    window = make_window(prompt="The capital of France is")
    view = window.attribution.view
    assert view.result is None  # nothing is computed while the panel is hidden
    window.show_panel("attribution")
    _wait_for_result(qtbot, view)
    paris = real_model.encode(" Paris")[0]
    assert view.result.target == paris  # the model's top token by default
    rows = {r["part"]: r["drop_in_log_probability"] for r in window.attribution.export_rows()}
    ids = real_model.encode("The capital of France is")
    without_france = [t for i, t in enumerate(ids) if i != 3]
    assert rows[" France"] == pytest.approx(
        _log_p(real_model, ids, paris) - _log_p(real_model, without_france, paris), abs=1e-3
    )
    assert window.attribution.axis.labels[0] == "' is'"  # strongest first
    # the same scores as colour on the prompt's chips, here and in the tokenization panel
    chips = window.attribution.chips
    assert [chips.custom_style(i)[2] for i in range(len(ids))] == [
        f"{rows[p.display]:+.1f}" for p in real_model.pieces(ids)
    ]
    france_fill = chips.custom_style(3)[0]
    assert france_fill.blue() > france_fill.red()  # helped: blue
    tokenization = window.tokenization
    assert tokenization.chips.custom_style(3) is None  # plain until asked
    tokenization.by_attribution.setChecked(True)
    assert tokenization.chips.custom_style(3)[2] == f"{rows[' France']:+.1f}"
    assert "Why <b>'·Paris'</b>?" in window.attribution.title.text()

    # another target, from the candidates offered
    index = window.attribution.target.findData(real_model.encode(" the")[0])
    assert index > 0
    window.attribution.target.activated.emit(index)
    _wait_for_result(qtbot, view, target=real_model.encode(" the")[0])
    assert "'·the'" in window.attribution.title.text()


@pytest.mark.real_model
def test_editing_the_prompt_drops_a_running_attribution(qtbot, make_window):
    window = make_window(prompt=" ".join(["The capital of France is Paris."] * 12))
    view = window.attribution.view
    view.set_unit("token")
    window.show_panel("attribution")
    qtbot.waitUntil(lambda: view.running and view.progress[0] > 0, timeout=patience(30_000))
    window.session.set_prompt("The capital of Italy is", immediate=True)
    wait_for_analysis(qtbot, window)
    _wait_for_result(qtbot, view)
    assert view.result.run == window.session.analysis.run  # the new prompt's, at once
    assert [p.text for p in view.result.parts][-1] == " is"


@pytest.mark.real_model
def test_the_layer_chart_splits_the_logit_and_adds_up_to_it(qtbot, make_window, real_model):
    from playground.engine.inspect.direct_logit import logit_components

    window = make_window(prompt="The capital of France is")
    view = window.attribution.view
    window.show_panel("attribution")
    qtbot.waitUntil(lambda: view.components is not None, timeout=patience(30_000))
    c = view.components
    paris = real_model.encode(" Paris")[0]
    assert c.target == paris
    analysis = window.session.analysis
    expected = logit_components(real_model, analysis.run, analysis.forward, paris)
    np.testing.assert_allclose(c.values, expected.values, atol=1e-6)
    assert float(c.values.sum()) == pytest.approx(c.logit, abs=1e-3)
    heights = window.attribution.attention_bars.opts["height"]
    assert len(heights) == real_model.arch.n_layer
    assert heights[23] == pytest.approx(c.value("L23.attn"))
    assert "layer 23 head 4" in window.attribution.layers_title.text()
