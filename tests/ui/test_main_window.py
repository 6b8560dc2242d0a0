"""The main window on the real model: type and watch, in both directions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage

from playground.engine.prompt.model_input import ANALYSIS_TOKEN_LIMIT
from playground.ui.panels.next_token.next_token_panel import CUT_BRUSH
from playground.ui.window.main_window import MainWindow
from playground.ui.worker.jobs import SEQUENCE
from playground.ui.worker.model_jobs import analysis_job
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = pytest.mark.real_model


def _top_texts(window: MainWindow, n: int = 3) -> list[str]:
    return window.next_token.axis.labels[:n]


def test_typing_updates_token_chips_and_candidates(qtbot, make_window):
    window = make_window(prompt="")
    assert window.tokenization.chips._chips == []
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "The cat sat on the")
    wait_for_analysis(qtbot, window)
    chips = window.tokenization.chips
    assert [chips.chip_label(i) for i in range(5)] == ["The", "·cat", "·sat", "·on", "·the"]
    assert "5</b> tokens" in window.tokenization.summary.text()
    analysis = window.session.analysis
    assert analysis.ids == (504, 2644, 2643, 335, 260)
    # the bars are the model's own top candidates for the last position
    expected = np.argsort(-analysis.forward.logits[-1])[: window.session.top_n]
    assert [c.token_id for c in window.next_token.candidates] == expected.tolist()
    assert _top_texts(window, 2) == ["·cat", "·moon"]
    assert f"5 / {ANALYSIS_TOKEN_LIMIT:,} tokens" in window.status_line.tokens.text()
    assert "forward" in window.status_line.timing.text()


def test_temperature_zero_makes_the_top_candidate_certain(make_window):
    window = make_window(prompt="The cat sat on the")
    window.next_token.temperature.slider.setValue(0)
    assert window.session.sampling.temperature == 0.0
    top = window.next_token.candidates[0]
    assert top.prob == 1.0 and top.kept
    assert not any(c.kept for c in window.next_token.candidates[1:])
    assert "greedy" in window.next_token.stats.text()
    assert window.next_token.value_labels[0].toPlainText() == "100.0%"
    assert window.next_token.value_labels[1].toPlainText() == "cut (greedy)"


def test_lowering_top_p_greys_out_the_tail(make_window):
    window = make_window(prompt="The cat sat on the")
    panel = window.next_token
    panel.top_p.slider.setValue(20)  # p = 0.20
    dist = window.session.distribution
    assert window.session.sampling.top_p == pytest.approx(0.2)
    assert dist.kept_mass >= 0.2
    kept = [c for c in panel.candidates if c.kept]
    cut = [c for c in panel.candidates if not c.kept]
    assert kept and cut and len(kept) == dist.kept_count
    brushes = panel.bars.opts["brushes"]
    assert all(brushes[c.rank] is CUT_BRUSH for c in cut)
    assert all(brushes[c.rank] is not CUT_BRUSH for c in kept)
    # a cut candidate still shows its probability before the cut, labelled as cut
    assert panel.value_labels[cut[0].rank].toPlainText().startswith("cut (")
    assert f"{dist.kept_mass:.1%}" in panel.stats.text()


def test_top_k_and_min_p_controls_reach_the_session(make_window):
    window = make_window(prompt="The cat sat on the")
    window.next_token.top_k.setValue(3)
    assert window.session.sampling.top_k == 3
    assert sum(c.kept for c in window.next_token.candidates) == 3
    window.next_token.min_p.slider.setValue(50)
    assert window.session.sampling.min_p == pytest.approx(0.5)
    window.next_token.show_n.setValue(7)
    assert len(window.next_token.candidates) == 7


def test_session_changes_show_in_the_controls(make_window):
    from playground.engine.sampling.distribution import SamplingSettings

    window = make_window(prompt="The cat sat on the")
    window.session.set_sampling(SamplingSettings(temperature=0.7, top_k=5, top_p=0.9))
    panel = window.next_token
    assert panel.temperature.value() == pytest.approx(0.7)
    assert panel.top_p.value() == pytest.approx(0.9)
    assert panel.top_k.value() == 5
    assert panel.temperature.value_label.text() == "0.70"


def test_clicking_a_candidate_appends_it_and_analyses_again(qtbot, make_window):
    window = make_window(prompt="The capital of France is")
    panel = window.next_token
    assert _top_texts(window, 1) == ["·Paris"]
    bar_center = panel.plot.getViewBox().mapViewToScene(QPointF(0.2, 0))
    viewport_point = panel.plot.mapFromScene(bar_center)
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point)
    assert window.session.prompt == "The capital of France is Paris"
    assert window.editor.toPlainText() == "The capital of France is Paris"
    wait_for_analysis(qtbot, window)
    assert window.session.analysis.text == "The capital of France is Paris"
    assert window.session.analysis.ids[-1] == 7042


def test_stale_results_never_overwrite_newer_ones(qtbot, make_window):
    window = make_window(prompt="start")
    session = window.session
    texts = [f"The number {i} is" for i in range(25)] + ["Once upon a time"]
    shown: list[str] = []
    session.analysis_changed.connect(lambda: shown.append(session.analysis.text))
    for text in texts:
        session.set_prompt(text, immediate=True)  # no debounce: every edit is a request
    wait_for_analysis(qtbot, window)
    qtbot.wait(300)  # any late result would land now
    assert session.analysis.text == "Once upon a time"
    assert window.tokenization.chips.chip_label(0) == "Once"
    assert shown[-1] == "Once upon a time"
    assert len(shown) < len(texts)  # outdated requests were skipped, not all computed
    # a result for an older request arriving late is dropped, by the runner
    old = session.analysis
    first = window.runner.submit(analysis_job(("text", "Once")), session._on_analysed)
    window.runner.submit(analysis_job(session.source()), session._on_analysed)
    stale = replace(old, text="stale", run=old.run.with_ids(()))
    window.runner._on_ended(first, "done", stale)
    assert session.analysis is old
    wait_for_analysis(qtbot, window)
    assert session.analysis.text == "Once upon a time"


def test_typing_is_debounced(qtbot, make_window):
    window = make_window(prompt="")
    requests = []
    window.runner.submitted.connect(
        lambda _ticket, job, _stop: job.lane == SEQUENCE and requests.append(job.subject[1])
    )
    qtbot.keyClicks(window.editor, "The animal didn't cross the road")
    wait_for_analysis(qtbot, window)
    assert requests[-1] == "The animal didn't cross the road"
    assert len(requests) <= 3  # 32 keystrokes, a handful of analyses


def test_hovering_a_chip_selects_the_token_and_selection_shows(qtbot, make_window):
    window = make_window(prompt="The cat sat on the")
    chips = window.tokenization.chips
    center = chips.chip_rect(2).center().toPoint()
    qtbot.mouseMove(chips, center)
    qtbot.waitUntil(lambda: window.session.selected_token == 2, timeout=patience(2000))
    window.session.select_token(4)
    assert chips._selected == 4
    qtbot.mouseClick(chips, Qt.MouseButton.LeftButton, pos=chips.chip_rect(0).center().toPoint())
    assert window.session.selected_token == 0


def test_split_characters_are_shown_as_bytes_grouped_with_their_character(qtbot, make_window):
    window = make_window(prompt="hi 👋 世界\n\tx <|im_end|>")
    chips = window.tokenization.chips
    labels = [chips.chip_label(i) for i in range(len(chips._chips))]
    assert "·<F0><9F>" in labels  # the emoji's first byte tokens
    assert "↵" in labels and "→" in labels  # visible newline and tab
    assert "<|im_end|>" not in labels  # typed, it is plain text (the notice says so)
    assert (
        "<|im_end|> typed in the prompt is read as plain text"
        in window.status_line.prompt_notice.text()
    )
    assert window.status_line.prompt_notice.isVisible()
    frames = [f.text for f in chips._frames]
    assert " 👋" in frames and "世" in frames
    assert not any(c.special for c in chips._chips)
    window.session.set_chat_mode(True)  # the chat template's control tokens are special
    wait_for_analysis(qtbot, window)
    labels = [chips.chip_label(i) for i in range(len(chips._chips))]
    special = [c for c in chips._chips if c.special]
    assert "<|im_end|>" in labels and 2 in {c.token_id for c in special}
    assert "special" in window.tokenization.summary.text()


def test_layout_and_slider_values_persist_between_runs(qtbot, make_window):
    first = make_window(prompt="Persist me")
    first.next_token.temperature.slider.setValue(35)
    first.next_token.show_n.setValue(9)
    first.close()
    second = make_window()
    assert second.session.sampling.temperature == pytest.approx(0.35)
    assert second.session.top_n == 9
    assert second.session.prompt == "Persist me"


def test_corrupt_settings_fall_back_to_defaults(qtbot, make_window, isolated_settings):
    from playground.ui.state.settings import app_settings

    settings = app_settings()
    settings.setValue("sampling/temperature", "not a number")
    settings.setValue("sampling/top_p", 7)
    settings.setValue("window/state", "garbage")
    settings.sync()
    window = make_window()
    assert window.session.sampling.temperature == 1.0
    assert window.session.sampling.top_p == 1.0


def test_window_screenshot_is_legible(make_window, tmp_path):
    window = make_window(persist=False, prompt="The cat sat on the")
    path = tmp_path / "window.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() == 1400 and image.height() == 900
    # the top bar is drawn in the highlight colour somewhere in the next-token panel
    panel_origin = window.next_token.plot.mapTo(window, QPoint(0, 0))
    assert panel_origin.x() > 700


@pytest.mark.parametrize("prompt", ["", "   \n\t "])
def test_empty_and_blank_prompts_are_explained_not_drawn(make_window, prompt):
    window = make_window(prompt=prompt)
    analysis = window.session.analysis
    if prompt:
        assert analysis.n_tokens > 0  # whitespace is real tokens: the model sees them
        assert window.next_token.candidates
    else:
        assert analysis.n_tokens == 0
        assert window.next_token.candidates == []
        assert "Type a prompt" in window.next_token.stats.text()
        assert "Type a prompt" in window.tokenization.summary.text()
