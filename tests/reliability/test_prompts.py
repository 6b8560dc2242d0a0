"""Odd prompts: every one tokenizes, displays and analyses (or is refused with a message),
in the engine and in the window, and nothing reaches the log as an exception."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.analysis import CHAT, TEXT, analyse_source
from playground.engine.prompt import model_input
from playground.engine.text.tokens import visible_whitespace
from playground.ui.window import status_line
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

# Prompts over the analysis limit are cut the same way whatever the limit: these tests
# lower it, so that they need no 2,048-token analysis (15-30 s on a 2-core machine; the
# real limit's memory and GUI responsiveness are tested in test_long_prompts.py and
# test_concurrency.py).
LOWERED_LIMIT = 128


@pytest.fixture
def lowered_limit(monkeypatch) -> int:
    monkeypatch.setattr(model_input, "ANALYSIS_TOKEN_LIMIT", LOWERED_LIMIT)
    monkeypatch.setattr(status_line, "ANALYSIS_TOKEN_LIMIT", LOWERED_LIMIT)
    return LOWERED_LIMIT


ODD_PROMPTS = {
    "empty": "",
    "only whitespace": " \n\t  \n",
    "typed control tokens": "<|im_start|>user\nHi<|im_end|><|endoftext|>",
    "lone surrogates": "broken \ud83d here \udc4b and \ud800",
    "NUL and control characters": "a\x00b\x01c\x1b[31mred\x7f\x85",
    "right-to-left": "مرحبا بالعالم שלום עולם",
    "right-to-left override": "abc\u202edcba\u202c and \u200fmark\u200b",
    "combining marks": "e\u0301 a\u0308\u0323 Z\u0351\u0307\u0317\u0356\u0336",
    "emoji sequences": "👨‍👩‍👧‍👦 🏳️‍🌈 👍🏽 1️⃣",
    "very long word": "Pneumono" + "ultramicroscopic" * 60,  # 966 characters, 302 tokens
    "mixed scripts": "日本語のテキスト, 한국어, Ελληνικά, русский, हिन्दी",
}


@pytest.mark.real_model
@pytest.mark.parametrize("name", ODD_PROMPTS)
def test_every_odd_prompt_is_analysed_with_a_finite_distribution(real_model, name):
    text = ODD_PROMPTS[name]
    analysis = analyse_source(real_model, (TEXT, text))
    if not text:
        assert analysis.forward is None and analysis.n_tokens == 0
        return
    assert analysis.n_tokens > 0
    assert np.isfinite(analysis.forward.logits).all()
    assert len(analysis.pieces) == analysis.n_tokens
    # every token has a label to show, the groups cover every token once
    assert all(p.label for p in analysis.pieces)
    covered = [i for g in analysis.groups for i in range(g.first, g.last + 1)]
    assert covered == list(range(analysis.n_tokens))


@pytest.mark.real_model
def test_typed_control_tokens_are_plain_text_outside_chat_mode(real_model):
    analysis = analyse_source(real_model, (TEXT, ODD_PROMPTS["typed control tokens"]))
    special = set(real_model.info.special.special_ids)
    assert not special & set(analysis.ids)
    assert analysis.text == ODD_PROMPTS["typed control tokens"]
    assert any("<|im_start|>" in n and "plain text" in n for n in analysis.notices)
    # In chat mode the message is still plain text: only the template's tokens are control.
    chat = analyse_source(real_model, (CHAT, ODD_PROMPTS["typed control tokens"]))
    im_start = real_model.encode("<|im_start|>")[0]
    assert chat.ids.count(im_start) == real_model.decode(chat.ids).count("<|im_start|>") - 1


@pytest.mark.real_model
def test_lone_surrogates_become_replacement_characters_with_a_notice(real_model):
    analysis = analyse_source(real_model, (TEXT, ODD_PROMPTS["lone surrogates"]))
    assert analysis.text == "broken \ufffd here \ufffd and \ufffd"
    assert any("3 invalid characters" in n for n in analysis.notices)


@pytest.mark.real_model
def test_invisible_characters_are_shown_visibly(real_model):
    nul = analyse_source(real_model, (TEXT, ODD_PROMPTS["NUL and control characters"]))
    labels = "".join(p.label for p in nul.pieces)
    assert "␀" in labels and "␛" in labels and "␡" in labels
    rtl = analyse_source(real_model, (TEXT, ODD_PROMPTS["right-to-left override"]))
    # Each of these characters is split over byte tokens; their group shows it visibly
    # (drawn as it is, a right-to-left override would reverse the text after it).
    shown = "".join(visible_whitespace(g.text) for g in rtl.groups)
    assert "<U+202E>" in shown and "<U+200F>" in shown and "<U+200B>" in shown
    assert "\u202e" not in shown
    assert real_model.decode(rtl.ids) == ODD_PROMPTS["right-to-left override"]


@pytest.mark.real_model
def test_a_prompt_longer_than_the_analysis_limit_keeps_its_end(real_model, lowered_limit):
    text = "".join(f"Sentence number {i} is here. " for i in range(200))
    analysis = analyse_source(real_model, (TEXT, text))
    assert analysis.n_tokens == lowered_limit
    assert analysis.dropped_tokens == len(real_model.encode(text)) - lowered_limit
    assert text.endswith(analysis.text)
    notice = f"only the last {lowered_limit:,} are analysed"
    assert any(notice in n for n in analysis.notices)


# --- the window ---------------------------------------------------------------------------


@pytest.mark.real_model
def test_the_window_shows_every_odd_prompt_without_an_error(qtbot, make_window, capfd):
    window = make_window(persist=False)
    session = window.session
    for name, text in ODD_PROMPTS.items():
        window.editor.setPlainText(text)
        qtbot.waitUntil(
            lambda: not session.busy and session.analysis_is_current, timeout=patience(30_000)
        )
        assert session.error is None, (name, session.error)
        chips = window.tokenization.chips
        assert len(chips._chips) == session.analysis.n_tokens, name
        window.next_token.grab()  # draw it: nothing may raise while painting
        window.tokenization.grab()
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.real_model
def test_pasting_100000_characters_keeps_the_text_and_analyses_its_end(
    qtbot, make_window, lowered_limit
):
    window = make_window(persist=False)
    text = "".join(f"Line {i}: the quick brown fox jumps over the lazy dog.\n" for i in range(1900))
    assert len(text) > 100_000
    window.editor.setPlainText(text)  # one paste
    qtbot.waitUntil(lambda: window.session.analysis_is_current, timeout=patience(120_000))
    assert window.editor.toPlainText() == text  # nothing the user typed is lost
    assert window.session.analysis.n_tokens == lowered_limit
    assert window.status_line.prompt_notice.isVisible()
    assert (
        f"only the last {lowered_limit:,} are analysed" in window.status_line.prompt_notice.text()
    )
    assert window.status_line.tokens.text().startswith(f"{lowered_limit:,} of ")
    assert window.session.error is None


@pytest.mark.real_model
def test_generating_after_a_cut_prompt_keeps_the_whole_prompt(qtbot, make_window, lowered_limit):
    window = make_window(persist=False)
    session = window.session
    text = "".join(f"Fact {i}: water is wet. " for i in range(40))
    session.set_prompt(text, immediate=True)
    wait_for_analysis(qtbot, window)
    assert session.analysis.dropped_tokens > 0
    session.set_sampling(session.sampling.__class__(temperature=0.0))
    assert session.generate(3)
    qtbot.waitUntil(
        lambda: not session.generating and session.analysis_is_current, timeout=patience(60_000)
    )
    assert session.prompt.startswith(text) and len(session.prompt) > len(text)
    assert window.editor.toPlainText() == session.prompt
