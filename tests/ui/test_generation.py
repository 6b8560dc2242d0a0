"""Generation, branching, chat mode and the logit lens, in the window on the real model."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.engine.prompt.chat import chat_prompt
from playground.engine.sampling.distribution import SamplingSettings
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = pytest.mark.real_model

PROMPT = "Once upon a time, there was a little"


def _wait_idle(qtbot, window, timeout=60_000):
    qtbot.waitUntil(lambda: not window.session.generating, timeout=patience(timeout))
    wait_for_analysis(qtbot, window)


@pytest.fixture
def window(make_window):
    window = make_window(prompt=PROMPT)
    window.show_panel("generation")
    return window


def test_greedy_generation_is_the_argmax_chain(qtbot, window, real_model):
    session = window.session
    session.set_sampling(SamplingSettings(temperature=0.0))
    qtbot.mouseClick(window.generation.generate_button, Qt.MouseButton.LeftButton)
    assert session.generating and window.generation.stop_button.isEnabled()
    _wait_idle(qtbot, window)
    generated = [t.token_id for t in session.current_branch.tokens]
    assert len(generated) == session.max_new_tokens == 40
    ids = real_model.encode(PROMPT)
    for token in generated[:12]:  # full forwards, no cache
        assert token == int(np.argmax(real_model.forward(ids).logits[-1]))
        ids.append(token)
    # every panel follows the grown text
    assert session.analysis.ids == session.current_branch.ids
    assert window.editor.toPlainText() == real_model.decode(session.current_branch.ids)
    assert session.analysis.forward.attentions.shape[-1] == len(session.analysis.ids)
    assert session.analysis.head_stats is not None  # the final analysis is complete
    assert "limit" in window.generation.status.text()
    # the generated chips are coloured by probability, with the chosen token's details
    chips = window.generation.text
    first = len(session.current_branch.base_ids)
    assert chips.custom_style(first)[2].endswith("%")
    assert "rank 1" in chips.tooltip(first)


def test_each_step_adds_one_token_with_the_kv_cache(qtbot, window, real_model):
    session = window.session
    session.set_sampling(SamplingSettings(temperature=0.0))
    before = session.analysis
    for _ in range(3):
        qtbot.mouseClick(window.generation.step_button, Qt.MouseButton.LeftButton)
        _wait_idle(qtbot, window)
    after = session.analysis
    assert after.n_tokens == before.n_tokens + 3
    full = real_model.forward(list(after.ids))  # logits of the extended text, from scratch
    # generated tokens ran on the decoding graph: 8-bit activations in two parts, within
    # 2e-2 of fp32 (tests/engine/test_decode_graph.py); the prompt's rows are identical
    prompt = before.n_tokens
    np.testing.assert_array_equal(after.forward.logits[:prompt], full.logits[:prompt])
    np.testing.assert_allclose(after.forward.logits, full.logits, atol=2e-2)


def test_a_seeded_run_is_reproducible(qtbot, window):
    session = window.session
    session.set_sampling(SamplingSettings(temperature=1.0, top_p=0.95))
    session.set_seed(7)
    session.generate(12)
    _wait_idle(qtbot, window)
    first = [t.token_id for t in session.current_branch.tokens]
    session.set_prompt(PROMPT, immediate=True)
    wait_for_analysis(qtbot, window)
    session.generate(12)
    _wait_idle(qtbot, window)
    assert [t.token_id for t in session.current_branch.tokens] == first
    assert len(session.branches) == 2


def test_branching_keeps_both_branches(qtbot, window, real_model):
    session = window.session
    session.set_sampling(SamplingSettings(temperature=0.0))
    session.generate(6)
    _wait_idle(qtbot, window)
    original = session.current_branch.ids
    first_token = session.current_branch.tokens[0]
    alternative = first_token.alternatives[1].token_id  # the runner-up
    chip = len(session.current_branch.base_ids)
    menu = window.generation.alternatives_menu(chip)
    actions = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator()]
    assert len(actions) == len(first_token.alternatives) - 1
    actions[0].trigger()  # the runner-up: continue from it
    wait_for_analysis(qtbot, window)
    assert len(session.branches) == 2 and session.branch_index == 1
    assert session.current_branch.tokens[0].token_id == alternative
    assert session.analysis.ids == session.current_branch.ids
    session.generate(5)
    _wait_idle(qtbot, window)
    assert len(session.current_branch.tokens) == 6
    assert session.branches[0].ids == original  # the first branch is untouched
    assert window.generation.branch_list.count() == 2
    window.generation.branch_list.setCurrentRow(0)  # switch back
    wait_for_analysis(qtbot, window)
    assert session.analysis.ids == original
    assert window.editor.toPlainText() == real_model.decode(original)


def test_stop_ends_a_long_generation_and_editing_stops_it_too(qtbot, window):
    session = window.session
    session.set_max_new_tokens(500)
    session.generate()
    qtbot.waitUntil(lambda: len(session.current_branch.tokens) >= 3, timeout=patience(30_000))
    qtbot.mouseClick(window.generation.stop_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window)
    assert "stopped" in session.generation_status
    assert len(session.current_branch.tokens) < 500
    session.generate()
    qtbot.waitUntil(lambda: len(session.current_branch.tokens) >= 1, timeout=patience(30_000))
    window.editor.setPlainText("A new prompt")
    assert not session.generating
    wait_for_analysis(qtbot, window)
    qtbot.wait(300)
    assert session.analysis.text == "A new prompt"  # no late token overwrote it


def test_chat_mode_shows_the_template_and_generates_the_reply(qtbot, window, real_model):
    session = window.session
    window.generation.chat.setChecked(True)
    session.set_prompt("What is the capital of France?", immediate=True)
    wait_for_analysis(qtbot, window)
    expected = chat_prompt(real_model, "What is the capital of France?").ids
    assert list(session.analysis.ids) == expected
    window.show_panel("tokenization")
    labels = [window.tokenization.chips.chip_label(i) for i in range(3)]
    assert labels == ["<|im_start|>", "system", "↵"]
    session.set_sampling(SamplingSettings(temperature=0.0))
    session.generate(30)
    _wait_idle(qtbot, window)
    reply = real_model.decode([t.token_id for t in session.current_branch.tokens])
    assert "Paris" in reply
    assert session.current_branch.tokens[-1].stop  # ended by <|im_end|>
    assert window.editor.toPlainText() == "What is the capital of France?"


def test_logit_lens_panel_ends_with_the_models_prediction(qtbot, window, real_model):
    session = window.session
    session.set_prompt("The capital of France is", immediate=True)
    wait_for_analysis(qtbot, window)
    window.show_panel("logit_lens")
    qtbot.waitUntil(lambda: (r := session.lens_view.reading) is not None and r.positions[-1] == 4)
    panel = window.logit_lens
    last = panel.column.rowCount() - 1
    assert panel.column.item(last, 0).text() == "'·Paris'"
    assert panel.column.item(last, 1).text() == "77.3%"
    assert panel.grid.columnCount() == 5 and panel.grid.rowCount() == 31
    assert panel.grid.item(30, 4).text() == "·Paris"
    session.select_token(2)  # the lens follows the selected token
    qtbot.waitUntil(lambda: session.lens_view.reading.positions[-1] == 2, timeout=patience(30_000))
    assert panel.grid.columnCount() == 3
