"""Render the README's pictures from the real window (offscreen), on the default model.

Usage: .venv/bin/python scripts/make_screenshots.py [OUT_DIR]   (default: docs/)
"""

from __future__ import annotations

import sys
from pathlib import Path

from window_harness import offscreen_window, run_for, run_until

from playground.engine.inspect.attention_view import Scope
from playground.engine.sampling.distribution import SamplingSettings
from playground.ui.window.main_window import MainWindow

ANIMAL = "The animal didn't cross the road because it was too tired."
LONG_PROMPT = " ".join(
    f"Sentence {i} tells the class something new about attention." for i in range(400)
)


def analysed(window: MainWindow, prompt: str | None = None) -> None:
    if prompt is not None:
        window.session.set_prompt(prompt, immediate=True)
    run_until(lambda: window.session.analysis_is_current and not window.session.generating)
    run_for(0.3)  # let every panel repaint


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    _, window = offscreen_window()
    session, attention = window.session, window.attention

    analysed(window, "The cat sat on the")
    window.grab().save(str(out / "window.png"))

    window.show_panel("embeddings")
    analysed(window, "The king and the queen ate an apple")
    session.select_token(1)  # " king"
    analysed(window)
    window.grab().save(str(out / "embeddings.png"))

    # The attention dock alone, at slide size, as a teacher would show it.
    window.show_panel("attention")
    analysed(window, ANIMAL)
    session.select_token(8)  # " it"
    session.set_attention_view(scope=Scope.HEAD, layer=13, head=8, hide_first=True)
    dock = window.docks["attention"]
    dock.setFloating(True)
    dock.resize(1500, 720)
    attention.tabs.setCurrentWidget(attention.token_tab)
    analysed(window)
    dock.grab().save(str(out / "attention-token-view.png"))
    attention.tabs.setCurrentWidget(attention.detail)
    analysed(window)
    dock.grab().save(str(out / "attention-matrix.png"))
    session.set_attention_view(all_layers=True, hide_first=False)
    attention.tabs.setCurrentWidget(attention.stats)
    run_until(lambda: session.extras.induction_measured)
    analysed(window)
    dock.grab().save(str(out / "attention-all-layers.png"))
    attention.tabs.setCurrentWidget(attention.detail)
    analysed(window, LONG_PROMPT)  # 2,048 tokens: maps computed a layer at a time
    session.set_attention_view(layer=14, head=2, hide_first=True)
    analysed(window)
    dock.grab().save(str(out / "attention-2048-tokens.png"))
    attention.tabs.setCurrentWidget(attention.token_tab)
    session.set_attention_view(all_layers=False, hide_first=False)
    dock.setFloating(False)

    # Generation with two branches.
    window.show_panel("generation")
    session.select_token(None)
    session.set_sampling(SamplingSettings(temperature=0.0))
    analysed(window, "Once upon a time, there was a little")
    session.generate(20)
    analysed(window)
    first = session.current_branch.tokens[0]
    session.branch_from(0, 0, first.alternatives[1].token_id)
    analysed(window)
    session.generate(14)
    analysed(window)
    generation = window.docks["generation"]
    generation.setFloating(True)
    generation.resize(1400, 330)
    analysed(window)
    generation.grab().save(str(out / "generation-branches.png"))
    generation.setFloating(False)

    # The logit lens on "The capital of France is".
    lens = window.docks["logit_lens"]
    lens.setFloating(True)
    lens.resize(1400, 800)
    window.show_panel("logit_lens")
    analysed(window, "The capital of France is")
    session.lens_view.set_wanted(True)
    run_until(
        lambda: (
            session.lens_view.reading is not None
            and int(session.lens_view.reading.positions[-1]) == 4
        )
    )
    run_for(0.3)
    lens.grab().save(str(out / "logit-lens.png"))

    # Attribution: why " Paris" after "The capital of France is"?
    lens.setFloating(False)
    attribution = window.docks["attribution"]
    attribution.setFloating(True)
    attribution.resize(1000, 820)
    window.show_panel("attribution")
    analysed(window, "The capital of France is")
    run_until(
        lambda: (
            window.attribution.view.result is not None
            and not window.attribution.view.running
            and window.attribution.view.components is not None
        )
    )
    run_for(0.3)
    attribution.grab().save(str(out / "attribution.png"))
    attribution.setFloating(False)

    # Compare: "The capital of France is" pinned as A, then Italy.
    session.set_sampling(SamplingSettings())
    analysed(window, "The capital of France is")
    window.next_token.pin.click()
    analysed(window, "The capital of Italy is")
    next_token = window.docks["next_token"]
    next_token.setFloating(True)
    next_token.resize(520, 760)
    analysed(window)
    next_token.grab().save(str(out / "compare.png"))
    window.next_token.pin.click()
    next_token.setFloating(False)

    # Knock-out: head 23.4 switched off (a right-click on its tile), Paris compared.
    analysed(window, "The capital of France is")
    window.next_token.pin.click()
    session.set_attention_view(layer=23, head=4, all_layers=False, scope=Scope.HEAD)
    session.interventions.toggle_head(23, 4)
    analysed(window)
    for key, size, name in (
        ("attention", (1400, 700), "knock-out"),
        ("next_token", (520, 760), "knock-out-compare"),
    ):
        dock = window.docks[key]
        dock.setFloating(True)
        dock.resize(*size)
        window.show_panel(key)
        analysed(window)
        dock.grab().save(str(out / f"{name}.png"))
        dock.setFloating(False)
    # the attention of the knocked-out run against the intact one (B - A)
    from playground.ui.panels.attention.attention_compare import Showing

    session.set_attention_view(layer=26, head=2, scope=Scope.HEAD)
    attention.compare.choice.setCurrentIndex(list(Showing).index(Showing.DIFFERENCE))
    attention.tabs.setCurrentWidget(attention.detail)
    dock = window.docks["attention"]
    dock.setFloating(True)
    dock.resize(1400, 700)
    analysed(window)
    dock.grab().save(str(out / "knock-out-attention-difference.png"))
    dock.setFloating(False)
    attention.compare.choice.setCurrentIndex(0)
    attention.tabs.setCurrentWidget(attention.token_tab)
    session.interventions.clear()
    window.next_token.pin.click()
    analysed(window)

    # A quiz at a desk: lesson 1's first step, three guesses of the class, revealed.
    window.lessons.apply(0)
    analysed(window)
    quiz = window.quiz.quiz
    for guess in ("mat", "floor", "table"):
        quiz.add_guess(guess)
    window.classroom.controller.reveal()
    run_until(lambda: quiz.result is not None)
    run_for(0.4)
    window.grab().save(str(out / "quiz-desk.png"))

    # A lesson, in the light and the dark theme, with larger text for a projector.
    lens.setFloating(False)
    window.lessons.apply(3, 1)  # "Attention: which words does "it" look at?" (after its quiz)
    analysed(window)
    run_until(lambda: session.selected_token is not None)
    for theme in ("light", "dark"):
        window.set_theme(theme)
        window.set_text_size(12)
        analysed(window)
        window.grab().save(str(out / f"lesson-{theme}.png"))
    window.set_theme("light")
    window.set_text_size(10)

    # The induction-head lesson: copying a repeated sequence, then the heads knocked out.
    window.lessons.apply(13, 1)  # (after its quiz)
    run_until(lambda: not session.interventions.knock_out.empty)
    analysed(window)
    run_until(lambda: session.selected_token is not None)
    run_for(0.5)
    window.grab().save(str(out / "induction-after.png"))
    session.interventions.clear()
    analysed(window)
    run_for(0.5)
    window.grab().save(str(out / "induction-before.png"))

    # Inside a layer: " is" through layer 23, steps 4 (head 4) and 6 (the MLP).
    window.lessons.apply(15)
    inside = window.docks["inside_layer"]
    inside.setFloating(True)
    inside.resize(1100, 900)
    view = window.inside_layer.view
    run_until(lambda: view.trace is not None and view.trace.layer == 23)
    for step in (3, 5):
        view.set_step(step)
        run_for(0.4)
        inside.grab().save(str(out / f"inside-layer-step-{step + 1}.png"))
    inside.setFloating(False)

    # The receipt of " Paris"'s probability, at temperature 0.8 with top-k 20.
    session.set_sampling(SamplingSettings(temperature=0.8, top_k=20))
    analysed(window)
    window.next_token.explain(0)
    dialog = window.next_token.receipt
    run_until(lambda: dialog.receipt is not None)
    run_for(0.4)
    dialog.grab().save(str(out / "receipt.png"))
    dialog.close()

    retrieval(window, out)
    window.runner.shutdown()
    print(f"wrote {', '.join(sorted(p.name for p in out.glob('*.png')))} in {out}/")
    return 0


def retrieval(window: MainWindow, out: Path) -> None:
    """Lessons 17-19 (sentences, a search, RAG with and without the passages) and the
    UMAP map (made once per model: about two minutes the first time)."""
    window.lessons.apply(16)
    sentences = window.sentences.view
    run_until(lambda: sentences.current)
    run_for(0.5)
    window.grab().save(str(out / "sentences.png"))
    window.lessons.apply(17)
    search = window.search.view
    run_until(lambda: search.result is not None)
    run_for(0.5)
    window.grab().save(str(out / "search.png"))
    window.lessons.apply(18)
    run_until(lambda: search.rag is not None)
    run_for(0.5)
    window.grab().save(str(out / "rag.png"))

    window.show_panel("embeddings")
    window.session.set_chat_mode(False)  # lesson 19 asked in chat mode
    window.docks["lesson"].hide()
    analysed(window, "The king and the queen ate an apple")
    window.session.select_token(1)  # " king"
    window.embeddings.map_kind.setCurrentIndex(1)
    meaning = window.session.extras.meaning_map
    run_until(lambda: meaning.coords is not None or meaning.error is not None, timeout=600)
    analysed(window)
    window.grab().save(str(out / "umap.png"))


if __name__ == "__main__":
    raise SystemExit(main())
