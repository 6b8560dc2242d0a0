"""Predict, then reveal, in the real window: a hidden answer is nowhere on screen (panels,
tooltips, status line, exports) until Reveal, and the scores are the model's own numbers,
checked against forward passes of the whole sequence."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.attention_view import attention_matrix
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = pytest.mark.real_model


def visible_texts(window, menus_of_examples: bool = True) -> list[str]:
    """Every text a user can read or hover in the window: labels, buttons, fields,
    lists, tables, tooltips, the window and dock titles and the status line."""
    texts = [window.windowTitle(), window.statusBar().currentMessage()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox) and menus_of_examples:  # (fixed lists of words)
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QTableWidget):
            texts += [
                widget.item(r, c).text()
                for r in range(widget.rowCount())
                for c in range(widget.columnCount())
                if widget.item(r, c) is not None
            ]
    return [t for t in texts if t]


def _softmax(z):
    z = np.exp(np.asarray(z, np.float64) - np.max(z))
    return z / z.sum()


def test_a_hidden_next_token_is_nowhere_until_revealed(make_window, qtbot, tmp_path):
    window = make_window(persist=False, prompt="The capital of France is")
    classroom, quiz = window.classroom, window.quiz.quiz
    window.show_panel("logit_lens")
    classroom.hide("next_token", "")
    for key in ("next_token", "logit_lens", "attribution", "generation"):
        assert window.docks[key].widget().closed, key
        for kind in ("csv", "json", "png", "svg"):
            with pytest.raises(PlaygroundError, match="hidden until the answer is revealed"):
                window.export_panel(key, tmp_path / f"{key}.{kind}")
    assert not window.next_token.isVisible() and not window.logit_lens.isVisible()
    assert window.docks["quiz"].isVisible()
    assert not window.tokenization.by_attribution.isEnabled()  # its tooltip names the target
    for guess in ("Paris", "Lyon", "the city of"):
        window.quiz.guess.setText(guess)
        window.quiz.add_button.click()
    shown = visible_texts(window, menus_of_examples=False)
    assert "Paris" in shown  # the class's own guess, in the list ...
    for text in shown:  # ... but nothing the model says about it
        assert "Paris" not in text or text == "Paris", text
    assert window.quiz.export_rows() == []  # the round has no scores yet

    window.quiz.reveal_button.click()
    qtbot.waitUntil(lambda: quiz.result is not None, timeout=patience(30_000))
    assert not window.docks["next_token"].widget().closed and window.next_token.isVisible()
    lm, analysis = window.session.model, window.session.analysis
    prompt = list(analysis.ids)
    first = _softmax(lm.forward(prompt).logits[-1])  # (V,) at temperature 1
    rows = quiz.result.rows
    assert quiz.result.answer_value == " Paris"
    assert [r["guess"] for r in rows] == ["Paris", "Lyon", "the city of"]
    for row in rows:
        ids = lm.encode(row["scored_as"], special=False, continues=True)
        logits = lm.forward(prompt + ids).logits  # the whole sequence at once
        chained = math.prod(_softmax(logits[len(prompt) - 1 + j])[t] for j, t in enumerate(ids))
        assert row["probability"] == pytest.approx(chained, rel=2e-3)
        assert row["rank"] == 1 + int(np.sum(first > first[ids[0]]))
        assert row["surprise_bits"] == pytest.approx(-math.log2(chained), rel=2e-3)
    assert rows[0]["rank"] == 1 and len(rows[2]["tokens"]) == 3
    table = window.quiz.table
    for r, row in enumerate(rows):  # a percentage, or the odds when below 0.01%
        shown, p = table.item(r, 1).text(), row["probability"]
        if shown.endswith("%"):
            assert float(shown[:-1]) / 100 == pytest.approx(p, abs=5e-5), shown
        else:
            odds = shown.removeprefix("1 in ").replace(",", "")
            if odds.startswith("10^"):  # beyond a trillion: the power of ten
                assert int(odds[3:]) == math.floor(math.log10(1 / p)), shown
            else:
                assert float(odds) == pytest.approx(1 / p, rel=0.05), shown
    saved = window.export_panel("quiz", tmp_path / "round.json")
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["answer"] == " Paris" and document["hidden"] == "next_token"
    assert [r["guess"] for r in document["rows"]] == ["Paris", "Lyon", "the city of"]
    assert document["prompt"] == "The capital of France is"


def test_the_attention_a_count_and_a_cosine_are_hidden_then_scored(make_window, qtbot):
    window = make_window(persist=False)
    session, classroom, quiz = window.session, window.classroom, window.quiz.quiz
    window.lessons.apply(3)  # attention: "it" looks at " animal"; its first step hides it
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: session.selected_token is not None)
    assert quiz.kind == "attention" and window.docks["attention"].widget().closed
    assert window.docks["inside_layer"].widget().closed
    for guess in ("animal", "road", "zebra"):
        quiz.add_guess(guess)
    classroom.controller.reveal()
    analysis, view = session.analysis, session.attention_view
    row = attention_matrix(analysis.forward.attentions, view.scope, view.layer, view.head)[
        session.selected_token
    ]
    animal, road, zebra = quiz.result.rows
    assert animal["attention"] == pytest.approx(float(row[animal["token_index"]]))
    assert animal["rank"] == 1 and animal["attention"] == pytest.approx(row.max())
    assert road["rank"] == 1 + int(np.sum(row > row[road["token_index"]]))
    assert zebra["token_index"] is None and zebra["attention"] is None
    assert not window.docks["attention"].widget().closed

    session.set_prompt("How many r's are in strawberry?", immediate=True)
    wait_for_analysis(qtbot, window)
    classroom.hide("token_count", " strawberry")
    assert window.docks["tokenization"].widget().closed
    assert "?" in window.status_line.tokens.text()  # the prompt's count would tell
    assert not any(" tokens" in t and t[0].isdigit() for t in visible_texts(window))
    quiz.add_guess("3")
    quiz.add_guess("1")
    classroom.controller.reveal()
    count = len(session.model.encode(" strawberry", special=False, continues=True))
    assert quiz.result.answer_value == count == 1
    assert [r["off_by"] for r in quiz.result.rows] == [2.0, 0.0]
    assert window.status_line.tokens.text().endswith("tokens")

    classroom.hide("token_count", "zebra")  # not in the prompt: nothing to hide
    assert classroom.controller.hidden_panels() == ()

    session.compared_words.set_words("king", "queen")
    qtbot.waitUntil(lambda: session.extras.done, timeout=patience(60_000))
    classroom.hide("cosine", "")
    assert window.docks["embeddings"].widget().closed
    assert not any("+0.6" in t for t in visible_texts(window))
    quiz.add_guess("0,5")
    classroom.controller.reveal()
    cosine = window.embeddings.compare_words()[0]
    assert quiz.result.answer_value == pytest.approx(cosine, abs=1e-6)
    assert quiz.result.rows[0]["off_by"] == pytest.approx(0.5 - cosine)


def test_a_lesson_quiz_step_hides_and_the_next_step_shows_everything(make_window, qtbot):
    window = make_window(persist=False)
    lessons, quiz = window.lessons, window.quiz.quiz
    heights = {k: window.docks[k].height() for k in ("tokenization", "embeddings")}
    lessons.apply(0)
    wait_for_analysis(qtbot, window)
    assert quiz.hidden and quiz.question == lessons.lessons[0].steps[0].question
    assert window.quiz.question.text() == quiz.question
    assert window.docks["next_token"].widget().closed
    # At a desk the Quiz opens beside the tokens, leaving the right column to the chart
    # (under it, with the lesson, the revealed chart had 80 px at 1400 x 900).
    docks = window.docks
    assert docks["quiz"].isVisible() and docks["quiz"].y() == docks["tokenization"].y()
    assert docks["quiz"].x() > docks["tokenization"].x()
    quiz.add_guess("mat")
    window.classroom.controller.reveal()
    qtbot.waitUntil(lambda: quiz.result is not None, timeout=patience(30_000))
    qtbot.waitUntil(lambda: window.next_token.plot.isVisible())
    assert window.size().width() == 1400 and window.size().height() == 900
    rows, plot = window.session.top_n, window.next_token.plot
    row_height = plot.getViewBox().height() / rows
    assert row_height >= 0.7 * plot.fontMetrics().height(), "the chart is crushed"
    table = window.quiz.table
    assert table.isVisible() and table.viewport().height() >= 2 * table.rowHeight(0)
    lessons.walk(1)
    wait_for_analysis(qtbot, window)
    assert quiz.kind is None and not window.docks["next_token"].widget().closed
    assert window.next_token.isVisible()
    assert not docks["quiz"].isVisible()  # the lesson opened it for its quiz, now over
    assert {k: docks[k].height() for k in heights} == heights  # the room the quiz took, back
