"""Compare: pin a run as A, change the prompt, and the next-token chart compares B with
A; its numbers are a direct computation on the two runs' logits."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ui.conftest import wait_for_analysis


@pytest.mark.real_model
def test_pinning_a_run_compares_the_next_prompt_with_it(qtbot, make_window, real_model):
    window = make_window(prompt="The capital of France is")
    panel, session = window.next_token, window.session
    assert not panel.comparison.isVisible()
    panel.pin.click()
    assert session.pinned.pinned and session.pinned.source == ("text", "The capital of France is")
    session.set_prompt("The capital of Italy is", immediate=True)
    wait_for_analysis(qtbot, window)
    c = session.pinned.against(session.analysis)
    a = real_model.forward(real_model.encode("The capital of France is")).next_token_logits
    b = real_model.forward(real_model.encode("The capital of Italy is")).next_token_logits
    p = np.exp(a - a.max()) / np.exp(a - a.max()).sum()
    q = np.exp(b - b.max()) / np.exp(b - b.max()).sum()
    assert c.kl_bits == pytest.approx(float(np.sum(p * np.log2(p / q))), rel=1e-3)
    assert c.total_variation == pytest.approx(0.5 * float(np.abs(p - q).sum()), rel=1e-3)
    text = panel.comparison.text()
    assert panel.comparison.isVisible() and "KL(A‖B)" in text and "'·Paris'" in text
    rows = panel.export_rows()
    rome = next(r for r in rows if r["token"] == " Rome")
    assert rome["model_probability"] == pytest.approx(float(q[rome["id"]]), rel=1e-4)
    assert rome["model_probability_in_A"] == pytest.approx(float(p[rome["id"]]), rel=1e-4)
    # the thin bars are A's probabilities of the tokens shown
    shown = [c.token_id for c in panel.candidates]
    widths = panel.pinned_bars.opts["width"]
    np.testing.assert_allclose(widths, p[shown], rtol=1e-4)
    panel.pin.click()  # unpinned: the chart is B's alone again
    assert not session.pinned.pinned and not panel.comparison.isVisible()
