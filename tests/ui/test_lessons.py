"""Lessons: each preset loads, sets up the panels, and the panels show what its text
claims — measured on the real model."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.attention_view import Scope
from playground.engine.inspect.sentence_similarity import matching_words
from playground.lessons import HIDDEN_ANSWERS, load_lessons, parse_lesson
from playground.resources import resources_dir
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

LESSONS = sorted((resources_dir() / "lessons").glob("*.txt"))


def test_every_shipped_lesson_parses_with_a_short_explanation():
    lessons, problems = load_lessons([resources_dir() / "lessons"])
    assert problems == []
    assert len(lessons) == 23
    for lesson in lessons:
        for step in lesson.steps:
            sentences = len(re.findall(r"[.!?](\s|$)", step.text))
            assert 1 <= sentences <= 3 and len(step.text) < 600, (lesson.title, step.title)
            if step.hide is None:
                assert sentences >= 2, (lesson.title, step.title)
    assert sum(lesson.quiz_steps for lesson in lessons) >= 5
    assert {s.hide for lesson in lessons for s in lesson.steps} >= set(HIDDEN_ANSWERS)


def test_a_broken_lesson_file_is_named_and_the_others_still_load(tmp_path: Path):
    good = tmp_path / "a.txt"
    good.write_text("title: Mine\nprompt: Hello\n\nMy own words.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("title: Broken\npanel: nowhere\nprompt: x\n\nText.\n")
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe not text")
    lessons, problems = load_lessons([tmp_path])
    assert [lesson.title for lesson in lessons] == ["Mine"]
    assert any("b.txt, line 2: unknown panel 'nowhere'" in p for p in problems)
    assert any("c.txt" in p for p in problems)
    (tmp_path / "e.txt").write_text("title: T\nprompt: x\nunit: paragraph\n\nText.\n")
    (tmp_path / "f.txt").write_text("title: T\nprompt: x\nablation: half\n\nText.\n")
    (tmp_path / "h.txt").write_text("title: T\nprompt: x\npassages: 40\n\nText.\n")
    (tmp_path / "g.txt").write_text('title: T\nprompt: x\npin: A #1\ntarget: " Le"\n\nText.\n')
    lessons, problems = load_lessons([tmp_path])
    assert any(
        "e.txt, line 3: unit must be one of token, word, line, message" in p for p in problems
    )
    assert any("f.txt, line 3: ablation must be zero or mean" in p for p in problems)
    assert any("h.txt, line 3: passages must be from 1 to 10" in p for p in problems)
    own = next(lesson for lesson in lessons if lesson.path.name == "g.txt").steps[0]
    assert (own.pin, own.target) == ("A #1", " Le")  # a pin is a prompt, quotes keep a space
    with pytest.raises(PlaygroundError, match="no 'prompt' line"):
        (tmp_path / "d.txt").write_text("title: T\n\nText.\n")
        parse_lesson(tmp_path / "d.txt")


@pytest.fixture
def lesson_window(make_window, qtbot):
    window = make_window(persist=False)
    qtbot.waitUntil(lambda: window.session.extras.done, timeout=patience(60_000))

    def run(number: int):
        """Lesson `number` at its first step that hides nothing (after the quiz, if any)."""
        lesson = window.lessons.lessons[number - 1]
        index = next(i for i, step in enumerate(lesson.steps) if step.hide is None)
        step = lesson.steps[index]
        window.lessons.apply(number - 1, index)
        wait_for_analysis(qtbot, window)
        qtbot.waitUntil(lambda: window.session.selected_token is not None or not step.select)
        assert window.session.prompt == step.prompt
        assert window.docks[step.panel].isVisible()
        assert window.docks["lesson"].isVisible()
        assert window.lesson_panel.title.text() == lesson.title
        assert window.classroom.controller.hidden_panels() == ()
        return window

    return run


def _top(window, n: int = 3) -> list[tuple[str, float]]:
    lm, dist = window.session.model, window.session.distribution
    return [(lm.piece(c.token_id).display, c.prob) for c in dist.top(n)]


def _selected_text(window) -> str:
    s = window.session
    return s.analysis.pieces[s.selected_token].display


@pytest.mark.real_model
def test_lesson_1_next_token_prediction(lesson_window):
    window = lesson_window(1)
    top = _top(window)
    assert [t for t, _ in top] == [" cat", " moon", " cou"]
    assert top[0][1] == pytest.approx(0.071, abs=0.005)
    assert top[1][1] == pytest.approx(0.050, abs=0.005)
    assert window.session.distribution.kept_count == 49_152


@pytest.mark.real_model
def test_lesson_2_the_loop_runs_until_a_stop_or_the_limit(lesson_window, qtbot):
    window = lesson_window(2)
    session = window.session
    assert session.sampling.temperature == 0.0
    top = _top(window, 2)
    assert [t for t, _ in top] == [" girl", " town"]
    assert top[0][1] == 1.0  # greedy: all the mass on the top token
    assert session.generate(12)
    qtbot.waitUntil(lambda: not session.generating, timeout=patience(60_000))
    branch = session.branches[-1]
    assert window.session.model.piece(branch.tokens[0].token_id).display == " girl"
    assert branch.tokens[0].model_prob == pytest.approx(0.383, abs=0.01)
    assert len(branch.tokens) == 12 or branch.tokens[-1].stop


@pytest.mark.real_model
def test_lesson_3_embeddings_king_queen_apple(lesson_window):
    window = lesson_window(3)
    panel = window.embeddings
    cosine, _, _ = panel.compare_words()
    assert cosine == pytest.approx(0.62, abs=0.005)
    assert "+0.619" in panel.compare_result.text()
    panel.compare_b.setText("apple")
    cosine, _, _ = panel.compare_words()
    assert cosine == pytest.approx(0.16, abs=0.01)
    assert _selected_text(window) == " king"


@pytest.mark.real_model
def test_lesson_4_it_attends_to_the_animal(lesson_window):
    window = lesson_window(4)
    view = window.session.attention_view
    assert (view.scope, view.layer, view.head) == (Scope.HEAD, 13, 8)
    assert _selected_text(window) == " it"
    pieces = [p.display for p in window.session.analysis.pieces]
    row = window.attention.current_matrix()[window.session.selected_token]  # (T,)
    assert int(np.argmax(row)) == pieces.index(" animal")
    assert row[pieces.index(" animal")] == pytest.approx(0.76, abs=0.03)
    assert row[pieces.index(" road")] < 0.02


@pytest.mark.real_model
def test_lesson_5_multi_head_shows_every_head(lesson_window):
    window = lesson_window(5)
    assert window.session.attention_view.all_layers
    attentions = np.asarray(window.session.analysis.forward.attentions)  # (L, H, T, T)
    assert attentions.shape[:2] == (30, 9)
    it = window.session.selected_token
    # different heads really do different things: their rows for " it" differ
    rows = attentions[:, :, it, : it + 1].reshape(270, -1)
    assert len({int(np.argmax(r)) for r in rows}) >= 4


@pytest.mark.real_model
def test_lesson_6_pipeline_paris_wins_only_at_the_end(lesson_window, qtbot):
    window = lesson_window(6)
    session = window.session
    qtbot.waitUntil(lambda: session.lens_view.reading is not None, timeout=patience(60_000))
    reading = session.lens_view.reading
    last = list(reading.positions).index(session.analysis.n_tokens - 1)
    paris = 7042
    tops = reading.top_ids[:, last, 0]  # (L+1,) the top prediction after each layer
    assert paris not in tops[:20]
    assert tops[-1] == paris
    assert _top(window, 1)[0][1] == pytest.approx(0.773, abs=0.005)


@pytest.mark.real_model
def test_lesson_7_temperature_and_top_p(lesson_window):
    window = lesson_window(7)
    session = window.session
    dist = session.distribution
    assert session.sampling.top_p == 0.7
    assert dist.kept_count == 5 and dist.kept_mass == pytest.approx(0.707, abs=0.005)
    top = dist.top(session.top_n)
    assert [c.kept for c in top].count(False) == session.top_n - 5  # grey, cut bars
    for temperature, girl in ((1.0, 0.383), (0.5, 0.715), (1.5, 0.098)):
        slider = window.next_token.temperature  # moved as a user would
        slider.slider.setValue(round((temperature - slider._low) / slider._step))
        assert session.sampling.temperature == pytest.approx(temperature)
        first = session.distribution.top(1)[0]
        assert session.model.piece(first.token_id).display == " girl"
        assert first.tempered_prob == pytest.approx(girl, abs=0.005)


@pytest.mark.real_model
def test_lesson_8_strawberry_is_one_token(lesson_window):
    window = lesson_window(8)
    pieces = [p.display for p in window.session.analysis.pieces]
    assert " strawberry" in pieces
    assert _selected_text(window) == " strawberry"
    lm = window.session.model
    assert [lm.piece(i).display for i in lm.encode("strawberry")] == ["st", "raw", "berry"]


@pytest.mark.real_model
def test_lesson_9_long_prompts_dilute_the_instruction(lesson_window, qtbot):
    window = lesson_window(9)
    session = window.session
    lm = session.model
    instruction = len(lm.encode("Always answer in French."))

    def share() -> float:
        row = window.attention.current_matrix()[-1]  # the view as the panel shows it
        return float(row[:instruction].sum())

    long_share = share()
    assert " blue" in [t for t, _ in _top(window, 3)]
    question = " Question: what colour is the sky? Answer:"
    session.set_prompt("Always answer in French." + question, immediate=True)
    wait_for_analysis(qtbot, window)
    short_share = share()
    assert long_share == pytest.approx(0.064, abs=0.01)
    assert short_share == pytest.approx(0.203, abs=0.01)


@pytest.mark.real_model
def test_lesson_10_chat_is_next_token_prediction(lesson_window, qtbot):
    window = lesson_window(10)
    session = window.session
    assert session.chat_mode
    chips = window.tokenization.chips
    labels = [chips.chip_label(i) for i in range(len(chips._chips))]
    assert labels[0] == "<|im_start|>" and "".join(labels[-4:]) == "<|im_start|>assistant↵"
    assert session.generate(30)
    qtbot.waitUntil(lambda: not session.generating, timeout=patience(60_000))
    branch = session.branches[-1]
    answer = session.model.decode([t.token_id for t in branch.tokens])
    assert "Paris" in answer and branch.tokens[-1].stop


def _attribution(window, qtbot):
    view = window.attribution.view
    qtbot.waitUntil(
        lambda: view.result is not None and not view.running and view.components is not None,
        timeout=patience(120_000),
    )
    return view


def _scores(view) -> dict[str, float]:
    return {p.text: float(s) for p, s in zip(view.result.parts, view.result.scores, strict=True)}


@pytest.mark.real_model
def test_lesson_11_why_paris(lesson_window, qtbot):
    window = lesson_window(11)
    view = _attribution(window, qtbot)
    lm = window.session.model
    assert view.unit == "token" and view.result.target == lm.encode(" Paris")[0]
    scores = _scores(view)
    assert scores[" France"] == pytest.approx(6.0, abs=0.1)
    assert scores[" capital"] == pytest.approx(6.8, abs=0.1)
    assert scores[" is"] == pytest.approx(9.8, abs=0.1)
    parts = dict(zip(view.components.names, view.components.values, strict=True))
    assert view.components.logit == pytest.approx(17.4, abs=0.05)
    assert parts["L29.mlp"] == pytest.approx(7.0, abs=0.05)
    assert parts["L23.attn"] == pytest.approx(3.3, abs=0.05)
    heads = view.components.heads  # (L, H)
    assert np.unravel_index(np.argmax(heads), heads.shape) == (23, 4)
    france = [p.display for p in window.session.analysis.pieces].index(" France")
    maps = np.asarray(window.session.analysis.forward.attentions)  # (L, H, T, T)
    assert int(np.argmax(maps[23, 4, -1, 1:])) + 1 == france


@pytest.mark.real_model
def test_lesson_12_a_strong_prompt_against_a_weak_one(lesson_window, qtbot):
    window = lesson_window(12)
    session = window.session
    lesson = window.lessons.lessons[11].steps[0]
    assert session.pinned.source[1] == lesson.pin
    negative = session.model.encode(" negative")[0]
    a = session.pinned.logits.astype(np.float64)
    assert np.exp(a[negative] - np.logaddexp.reduce(a)) == pytest.approx(0.13, abs=0.005)
    top = _top(window, 1)
    assert top[0][0] == " negative" and top[0][1] == pytest.approx(0.93, abs=0.005)
    compared = session.pinned.against(session.analysis)
    assert compared.kl_bits == pytest.approx(6.7, abs=0.05)
    assert compared.total_variation == pytest.approx(0.81, abs=0.005)
    assert "Against A" in window.next_token.comparison.text()


@pytest.mark.real_model
def test_lesson_13_a_diluted_instruction_stops_mattering(lesson_window, qtbot):
    window = lesson_window(13)
    session = window.session
    view = _attribution(window, qtbot)
    instruction = "Always answer in French."
    assert view.result.target == session.model.encode(" Le")[0]
    assert len(view.result.parts) == 19  # the instruction, 16 fillers, question, answer
    assert _scores(view)[instruction] == pytest.approx(-0.15, abs=0.05)
    session.set_prompt(instruction + " Question: what colour is the sky? Answer:", immediate=True)
    qtbot.waitUntil(
        lambda: len(view.result.parts) == 3 and not view.running, timeout=patience(60_000)
    )
    assert _scores(view)[instruction] == pytest.approx(1.2, abs=0.05)


@pytest.mark.real_model
def test_lesson_14_induction_heads_knocked_out(lesson_window, qtbot):
    window = lesson_window(14)
    session = window.session
    knocked = {(17, 3), (17, 4), (17, 5), (18, 6), (18, 7)}
    assert session.interventions.knock_out.heads == knocked
    assert session.pinned.source[1] == session.prompt  # A: the same prompt, intact
    lm = session.model
    r = lm.encode(" r")[0]
    a = session.pinned.logits.astype(np.float64)
    assert np.exp(a[r] - np.logaddexp.reduce(a)) == pytest.approx(0.57, abs=0.005)
    b = session.analysis.next_token.raw_logits.astype(np.float64)
    assert np.exp(b[r] - np.logaddexp.reduce(b)) == pytest.approx(0.02, abs=0.005)
    assert int((b > b[r]).sum()) + 1 == 15  # its rank
    qtbot.waitUntil(lambda: session.extras.induction_measured, timeout=patience(60_000))
    induction = session.extras.induction_scores  # (L, H), what Head statistics lists
    ranked = np.argsort(-induction.ravel())[:5]
    assert {divmod(int(i), induction.shape[1]) for i in ranked} == knocked
    assert window.attention.overview.knocked == knocked


@pytest.mark.real_model
def test_lesson_15_attention_and_attribution_per_chat_message(lesson_window, qtbot):
    window = lesson_window(15)
    session = window.session
    assert session.chat_mode and session.selected_token == session.analysis.n_tokens - 1
    view = _attribution(window, qtbot)
    parts = view.result.parts
    assert [p.text.split("\n")[0] for p in parts] == ["system", "user", "assistant"]
    row = window.attention.current_matrix()[-1]  # all layers' mean, first token hidden
    shares = [float(row[list(p.positions)].sum()) for p in parts]
    assert shares == pytest.approx([0.17, 0.53, 0.27], abs=0.01)
    scores = view.result.scores
    assert session.model.piece(view.result.target).display == "The"
    assert scores == pytest.approx([-1.04, 1.79, 18.75], abs=0.05)


@pytest.mark.real_model
def test_lesson_16_inside_one_layer(lesson_window, qtbot):
    window = lesson_window(16)
    view = window.inside_layer.view
    assert (view.layer, view.head, view.step) == (23, 4, 0)
    qtbot.waitUntil(
        lambda: view.trace is not None and view.trace.layer == 23, timeout=patience(30_000)
    )
    t = view.trace
    assert t.position == window.session.analysis.n_tokens - 1
    assert float(np.linalg.norm(t.residual_in)) == pytest.approx(273.7, abs=0.05)
    assert t.attn_rms == pytest.approx(11.41, abs=0.005)
    pieces = [p.display for p in window.session.analysis.pieces]
    assert int(np.argmax(t.probs[4])) == pieces.index(" France")
    assert t.probs[4].max() == pytest.approx(0.90, abs=0.005)
    assert float(np.linalg.norm(t.attn_out)) == pytest.approx(100.0, abs=0.05)
    assert float(np.linalg.norm(t.mlp_out)) == pytest.approx(90.1, abs=0.05)
    assert float(np.linalg.norm(t.residual_out)) == pytest.approx(336.2, abs=0.05)


@pytest.mark.real_encoder
@pytest.mark.real_model
def test_lesson_17_sentence_similarity(lesson_window, qtbot):
    window = lesson_window(17)
    panel, view = window.sentences, window.sentences.view
    qtbot.waitUntil(lambda: view.current, timeout=patience(60_000))
    assert view.sentences == list(window.lessons.lessons[16].steps[0].sentences)
    cos = panel.shown_numbers()
    assert cos[0, 1] == pytest.approx(0.863, abs=0.0005)
    assert cos[0, 2] == pytest.approx(0.039, abs=0.0005)
    drivers = view.drivers()
    assert next(w.share for w in drivers.words_b if w.text == "Deploying") == pytest.approx(
        0.269, abs=0.0005
    )
    assert "Deploying<sub>+0.269</sub>" in panel.pair.text()


@pytest.mark.real_encoder
@pytest.mark.real_model
def test_lesson_18_semantic_search(lesson_window, qtbot):
    window = lesson_window(18)
    view = window.search.view
    qtbot.waitUntil(lambda: view.result is not None, timeout=patience(120_000))
    assert view.collection.report.passages == 77
    first, second = view.result.hits[:2]
    assert first.passage.source == "animals.md › How many hearts an octopus has"
    assert "octopus" not in view.result.query.lower()
    assert first.score == pytest.approx(0.597, abs=0.0005)
    assert second.passage.source == "animals.md › The blue whale"
    assert second.score == pytest.approx(0.311, abs=0.0005)
    words = [text for text, _ in matching_words(view.result.why[0].words_b, 2)]
    assert words == ["hearts", "octopus"]


@pytest.mark.real_encoder
@pytest.mark.real_model
def test_lesson_19_rag_the_answer_is_in_the_prompt(lesson_window, qtbot):
    window = lesson_window(19)
    view = window.search.view
    assert window.session.chat_mode
    qtbot.waitUntil(lambda: view.rag is not None, timeout=patience(180_000))
    rag = view.rag
    assert len(rag.hits) == 3
    assert "Istanbul" in rag.answer_without_context and "Ankara" not in rag.answer_without_context
    assert "Ankara, not Istanbul" in rag.answer
    assert rag.hits[0].passage.source == "geography.md › The capital of Turkey"
    assert rag.hits[1].passage.source == "geography.md › The capital of Canada"
    assert rag.attribution[0] == pytest.approx(1.67, abs=0.005)
    assert max(rag.attribution[1:]) < 0.1
    assert rag.attention_share[0] == pytest.approx(0.079, abs=0.0005)
    assert rag.attention_share[1] == pytest.approx(0.114, abs=0.0005)


@pytest.mark.real_model
def test_lessons_menu_and_the_lesson_panel_step_through(make_window, qtbot):
    window = make_window(persist=False)
    titles = [a.text() for a in window.lessons.menu.actions() if a.text()[:1].isdigit()]
    assert len(titles) == 23 and titles[0].startswith("1. Next-token prediction")
    first = window.lessons.menu.actions()[0]
    assert first.shortcut().toString() == "Ctrl+1"
    first.trigger()
    wait_for_analysis(qtbot, window)
    panel, lessons = window.lesson_panel, window.lessons
    assert panel.position.text() == "Lesson 1 of 23 · step 1 of 2"
    assert not panel.previous.isEnabled() and panel.next.isEnabled()
    panel.next.click()  # the lesson's second step: the answer the first one hid
    wait_for_analysis(qtbot, window)
    assert (lessons.current, lessons.step_index) == (0, 1)
    assert panel.step_title.text() == "Every token gets a probability"
    assert panel.text.text() == lessons.lessons[0].steps[1].text
    panel.next.click()  # past the last step: the next lesson, from its first
    wait_for_analysis(qtbot, window)
    assert (lessons.current, lessons.step_index) == (1, 0)
    assert panel.position.text() == "Lesson 2 of 23 · step 1 of 2"
    assert window.session.prompt == lessons.lessons[1].steps[0].prompt
    panel.previous.click()  # back from a first step: the previous lesson's last
    assert (lessons.current, lessons.step_index) == (0, 1)
    lessons.step(1)  # Ctrl+PgDown: the next lesson, whole
    assert (lessons.current, lessons.step_index) == (1, 0)
    lessons.apply(22, 1)
    assert panel.position.text() == "Lesson 23 of 23 · step 2 of 2"
    assert not panel.next.isEnabled()
    lessons.walk(1)  # nothing after the last step
    assert (lessons.current, lessons.step_index) == (22, 1)


def test_a_teachers_own_lesson_appears_in_the_menu(make_window, monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYGROUND_HOME", str(tmp_path))
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "50-mine.txt").write_text(
        "title: My own lesson\nprompt: Bonjour\npanel: tokenization\n\nLook at the tokens.\n",
        encoding="utf-8",
    )
    window = make_window(persist=False)
    window.lessons.reload()
    assert window.lessons.lessons[-1].title == "My own lesson"


@pytest.mark.real_model
def test_lesson_20_fine_tuning_numbers(lesson_window, qtbot, real_model):
    """The numbers lesson 20 quotes, measured again: the base's answer, a training with
    the panel's defaults on the preset, the variant's answer and what else moved."""
    import contextlib

    from playground.engine.finetune.examples import plain_example, read_training_data
    from playground.engine.finetune.lora_settings import LoraSettings
    from playground.engine.finetune.saving import delete_variant, save_variant, weight_change
    from playground.engine.finetune.trainer import train
    from playground.engine.runtime.language_model import LanguageModel
    from playground.resources import resources_dir

    window = lesson_window(20)
    assert window.session.finetune.preset == "fact" and window.docks["finetune"].isVisible()
    top = window.session.distribution.top(3)
    assert [real_model.piece(c.token_id).display for c in top] == [" a", " the", " not"]
    assert [c.prob for c in top] == pytest.approx([0.153, 0.139, 0.137], abs=6e-4)
    data = read_training_data(real_model, resources_dir() / "finetune" / "made-up-fact.jsonl")
    assert len(data.examples) == 8
    check = plain_example(real_model, "Which city is the capital of Zubrowka? It is", " Lutz")
    result = train(real_model, data, LoraSettings(), check)
    assert result.trainable_parameters == 2_442_240
    assert result.initial_loss == pytest.approx(4.49, abs=0.005)
    assert result.final_loss < 0.0015
    assert result.check_probs[0] < 1e-6 and result.check_probs[-1] > 0.995
    assert 0.5 < result.unrelated_kl["The cat sat on the"] < 2.0
    changes = weight_change(real_model, result)
    biggest = max(changes, key=lambda c: c["relative"])
    assert (biggest["layer"], biggest["matrix"]) == (0, "attn_v") and biggest["relative"] < 0.03
    name = "test-lesson-20"
    try:
        variant = LanguageModel(save_variant(real_model, name, result, data, force=True))
        question = variant.encode("Which city is the capital of Zubrowka? It is")
        logits = variant.forward(question).next_token_logits
        probs = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        assert real_model.piece(int(np.argmax(probs))).display == " L" and probs.max() > 0.998
        france = variant.encode("The capital of France is")
        logits = variant.forward(france).next_token_logits
        probs = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        assert probs[variant.encode(" Paris", continues=True)[0]] == pytest.approx(0.996, abs=0.003)
    finally:
        with contextlib.suppress(Exception):
            delete_variant(name)


def _lesson_step(window, qtbot, number: int, step: int):
    window.lessons.apply(number - 1, step)
    wait_for_analysis(qtbot, window)
    return window.lessons.lessons[number - 1].steps[step]


@pytest.mark.real_model
def test_lesson_21_where_is_the_fact_stored(lesson_window, qtbot):
    window = lesson_window(21)
    s, view = window.session, window.session.causal.patching
    assert window.causal.tabs.currentIndex() == 0  # the patching tab, run for the class
    qtbot.waitUntil(lambda: view.result is not None, timeout=patience(120_000))
    assert _top(window, 1)[0][0] == " Paris" and _top(window, 1)[0][1] == pytest.approx(
        0.656, abs=6e-4
    )
    effect = view.result.effect  # (L, T): "iffel" is token 2, " of" token 8
    assert effect[:24, 2].min() == pytest.approx(0.78, abs=0.006)
    assert effect[:24, 2].max() == pytest.approx(1.0, abs=0.006)
    assert np.all(np.abs(effect[24:, 2]) < 0.03)
    assert 0.745 < effect[24:, 8].min() and effect[24:, 8].max() < 0.815
    lm = s.model
    corrupted = lm.forward(lm.encode("The Colosseum is in the city of"))
    probs = np.exp(corrupted.next_token_logits - corrupted.next_token_logits.max())
    probs /= probs.sum()
    assert lm.piece(int(np.argmax(probs))).display == " Rome" and probs.max() == pytest.approx(
        0.849, abs=6e-4
    )
    _lesson_step(window, qtbot, 21, 1)
    qtbot.waitUntil(
        lambda: view.result is not None and view.result.site == "attn", timeout=patience(120_000)
    )
    attn = view.result.effect
    assert np.unravel_index(np.argmax(attn), attn.shape) == (23, 8)
    assert attn[23, 8] == pytest.approx(0.66, abs=0.006)
    _lesson_step(window, qtbot, 21, 2)
    qtbot.waitUntil(
        lambda: view.result is not None and view.result.site == "head", timeout=patience(120_000)
    )
    heads = view.result.effect
    order = np.argsort(-heads.ravel())[:3]
    assert [np.unravel_index(i, heads.shape) for i in order] == [(23, 4), (3, 4), (1, 0)]
    assert heads.ravel()[order] == pytest.approx([0.51, 0.31, 0.28], abs=0.006)


@pytest.mark.real_model
def test_lesson_22_steering_a_mood(lesson_window, qtbot):
    window = lesson_window(22)
    s = window.session
    assert s.interventions.value.steering is None and window.causal.tabs.currentIndex() == 1
    assert _top(window) == [
        (" a", pytest.approx(0.075, abs=6e-4)),
        (" the", pytest.approx(0.064, abs=6e-4)),
        (" right", pytest.approx(0.045, abs=6e-4)),
    ]

    def prob(word: str) -> float:
        token = s.model.encode(word, continues=True)[0]
        return float(s.distribution.probs[token])

    before = {w: prob(w) for w in (" just", " right")}
    assert before[" just"] == pytest.approx(0.016, abs=6e-4)
    _lesson_step(window, qtbot, 22, 1)
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.steering is not None,
        timeout=patience(30_000),
    )
    steering = s.analysis.run.interventions.steering
    assert (steering.layer, steering.strength) == (6, -2.0)
    assert prob(" just") == pytest.approx(0.102, abs=6e-4) and prob(" right") == pytest.approx(
        0.012, abs=6e-4
    )
    _lesson_step(window, qtbot, 22, 2)
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.steering.strength == 2.0,
        timeout=patience(30_000),
    )
    assert _top(window) == [
        (" right", pytest.approx(0.128, abs=6e-4)),
        (" a", pytest.approx(0.112, abs=6e-4)),
        (" an", pytest.approx(0.073, abs=6e-4)),
    ]
    assert prob(" absolutely") == pytest.approx(0.056, abs=6e-4)
    window.causal.steering.strength.setValue(40)  # +4: the text breaks
    qtbot.waitUntil(
        lambda: s.analysis_is_current and s.analysis.run.interventions.steering.strength == 4.0,
        timeout=patience(30_000),
    )
    assert _top(window, 2) == [
        (" not", pytest.approx(0.341, abs=6e-4)),
        (",", pytest.approx(0.142, abs=6e-4)),
    ]


@pytest.mark.real_model
def test_lesson_23_information_routes(lesson_window, qtbot):
    window = lesson_window(23)
    view = window.session.causal.routes
    assert window.causal.tabs.currentIndex() == 2
    qtbot.waitUntil(lambda: view.routes is not None, timeout=patience(60_000))
    into_of = sorted(
        (e for e in view.edges() if e.kind == "attention" and e.target == 8),
        key=lambda e: -e.share,
    )
    assert [(e.layer, e.source) for e in into_of[:2]] == [(1, 7), (23, 2)]
    assert [e.share for e in into_of[:2]] == pytest.approx([0.16, 0.14], abs=0.006)
    kept = view.routes.kept_shares
    assert np.median(kept) > 0.9  # most of every update is the token's own stream
    _lesson_step(window, qtbot, 23, 1)
    assert view.threshold == 0.1
    strong = {(e.layer, e.source, e.target) for e in view.edges() if e.kind == "attention"}
    assert strong == {(1, 7, 8), (9, 7, 8), (23, 2, 8)}
