"""The Sentences and Search panels in the real window: every number they show against an
independent computation (the numpy encoder on the same weights, a brute-force ranking),
and RAG's two prompts opened in Compare."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.passage_collections import BUILT_IN
from playground.engine.inspect.search_index import split_passages
from playground.engine.inspect.sentence_similarity import similarity_drivers
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = [pytest.mark.real_model, pytest.mark.real_encoder]


def _reference_vectors(encoder, encoder_reference, texts: list[str]) -> np.ndarray:
    """(N, D) unit vectors from the numpy encoder, on the ids the app's tokenizer gives."""
    rows = []
    for encoded in encoder.encode(texts, attentions=False):
        vector = encoder_reference.encode(list(encoded.ids))[0].astype(np.float64)
        rows.append(vector / np.linalg.norm(vector))
    return np.array(rows)


def test_sentences_panel_shows_the_teaching_examples_cosines(
    make_window, qtbot, encoder, encoder_reference
):
    window = make_window(persist=False)
    panel, view = window.sentences, window.sentences.view
    window.docks["sentences"].show()
    window.docks["sentences"].raise_()
    qtbot.waitUntil(lambda: view.current, timeout=patience(60_000))
    assert view.sentences == [
        "How to deploy React",
        "Deploying a React application",
        "Best pizza in New York",
    ]
    vectors = _reference_vectors(encoder, encoder_reference, view.sentences)
    expected = vectors @ vectors.T  # (3, 3)
    np.testing.assert_allclose(panel.shown_numbers(), expected, atol=1e-4)
    cells = panel.cells.texts()
    assert cells == [f"{expected[i, j]:.2f}" for i in range(3) for j in range(3)]
    assert "0.86" in cells and "0.04" in cells
    assert "cosine 0.863" in panel.pair.text()

    view.set_pair(0, 2)  # the pizza: the words that do add something are still listed
    drivers = similarity_drivers(view.result.encoded[0], view.result.encoded[2])
    assert f"cosine {drivers.cosine:.3f}" in panel.pair.text()
    assert drivers.cosine == pytest.approx(expected[0, 2], abs=1e-4)
    assert sum(w.share for w in drivers.words_a) == pytest.approx(drivers.cosine, abs=1e-6)

    panel.editor.setPlainText("The cat sat on the mat.\nA kitten was sitting on the rug.")
    assert panel.presets.currentText() == "Your own sentences"
    qtbot.waitUntil(lambda: view.current and len(view.sentences) == 2, timeout=patience(30_000))
    vectors = _reference_vectors(encoder, encoder_reference, view.sentences)
    assert panel.shown_numbers()[0, 1] == pytest.approx(float(vectors[0] @ vectors[1]), abs=1e-4)


def test_too_many_or_no_sentences_say_so(make_window, qtbot):
    window = make_window(persist=False)
    panel, view = window.sentences, window.sentences.view
    panel.set_sentences([f"Sentence number {k}." for k in range(15)])
    qtbot.waitUntil(lambda: view.current, timeout=patience(60_000))
    assert len(view.sentences) == 12
    assert panel.status.text() == "Only the first 12 sentences are compared."
    panel.set_sentences(["  ", ""])
    assert panel.status.text() == "Type at least two sentences to compare them."


def test_search_panel_ranks_the_built_in_passages_by_cosine(
    make_window, qtbot, encoder, encoder_reference
):
    window = make_window(persist=False)
    panel, view = window.search, window.search.view
    query = "Which sea creature has more than one heart?"
    panel.run_query(query)
    qtbot.waitUntil(lambda: view.result is not None, timeout=patience(120_000))
    # brute force, independently: every built-in passage, embedded here, ranked by cosine
    passages = [
        text
        for path in sorted(BUILT_IN.glob("*.md"))
        for _, text in split_passages(path.read_text("utf-8"))
    ]
    assert view.collection.report.passages == len(passages) >= 40
    scores = encoder.embed(passages) @ encoder.embed([query])[0]  # (N,)
    best = np.argsort(-scores)[: view.top]
    assert [h.passage.text for h in view.result.hits] == [passages[i] for i in best]
    np.testing.assert_allclose([h.score for h in view.result.hits], scores[best], atol=1e-5)
    # the top score once more through the numpy encoder
    reference = _reference_vectors(encoder, encoder_reference, [query, passages[best[0]]])
    assert view.result.hits[0].score == pytest.approx(float(reference[0] @ reference[1]), abs=1e-4)
    shown = panel.results.toPlainText()
    assert "octopus" in shown.lower() and f"{scores[best[0]]:.3f}" in shown
    first_words = shown.split("matching words:")[1].split()
    assert first_words[0].startswith("hearts+")  # the word adding most, with its share


def test_rag_answers_with_and_without_and_opens_both_prompts_in_compare(make_window, qtbot):
    window = make_window(persist=False)
    panel, view, session = window.search, window.search.view, window.session
    panel.run_query("What is the capital of Turkey?", ask=True, top=2)
    assert view.top == 2
    qtbot.waitUntil(lambda: view.rag is not None, timeout=patience(180_000))
    rag = view.rag
    assert rag.hits[0].passage.source == "geography.md › The capital of Turkey"
    qtbot.waitUntil(lambda: view.result is not None, timeout=patience(30_000))
    assert view.result.query == rag.question  # the list shows the passages the answer read
    assert [h.passage for h in view.result.hits] == [h.passage for h in rag.hits]
    assert "Ankara" in rag.answer and "Istanbul" in rag.answer_without_context
    with_text = panel.with_context.toPlainText()
    assert rag.answer.strip() in with_text
    for share, nats in zip(rag.attention_share, rag.attribution, strict=True):
        assert f"{100 * share:.1f} %" in with_text and f"{nats:+.2f}" in with_text
    assert rag.attribution[0] == max(rag.attribution)
    assert rag.answer_without_context.strip() in panel.without_context.toPlainText()

    assert panel.show_compare.isEnabled()
    panel.show_compare.click()
    qtbot.waitUntil(
        lambda: session.pinned.source is not None and session.prompt == rag.prompt.message,
        timeout=patience(60_000),
    )
    wait_for_analysis(qtbot, window)
    assert session.chat_mode
    assert session.pinned.source[1] == rag.question  # A: the question alone
    assert list(session.analysis.ids) == list(rag.prompt.ids)  # B: exactly the RAG prompt
    assert window.docks["tokenization"].isVisible()
