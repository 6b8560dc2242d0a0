"""Predict, then reveal, in the window: the panels that would give a hidden answer away
stay behind a curtain (and out of the status line and the exports); Reveal scores the
class's guesses against the model and opens them again."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QObject

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.attention_view import attention_matrix
from playground.engine.inspect.quiz_answers import score_attention, score_numbers
from playground.ui.state.quiz import QuizResult, QuizState
from playground.ui.state.session import Session
from playground.ui.widgets.curtain import Curtained


class QuizController(QObject):
    def __init__(
        self,
        session: Session,
        quiz: QuizState,
        curtains: dict[str, Curtained],
        cosine: Callable[[], float | None],  # the embedding panel's cosine of its two words
        on_change: Callable[[], None],  # (the status line, the tokenization panel...)
    ) -> None:
        super().__init__()
        self.session, self.quiz, self.curtains = session, quiz, curtains
        self.cosine, self.on_change = cosine, on_change
        self._reveal_waits = False  # Reveal was pressed while the prompt was being analysed
        quiz.changed.connect(self.apply_curtains)
        session.prompt_changed.connect(self.apply_curtains)
        session.analysis_changed.connect(self._on_analysis)

    def hidden_panels(self) -> tuple[str, ...]:
        return self.quiz.hidden_panels(self.session.prompt)

    def apply_curtains(self) -> None:
        hidden = self.hidden_panels()
        card = self.tr(
            "<h1>Hidden until Reveal</h1><p style='font-size: x-large'>{question}</p>"
            "<p>Type the class's guesses in the Quiz panel, then press Reveal.</p>"
        ).format(question=html.escape(self.quiz.question))
        for key, curtain in self.curtains.items():
            if key in hidden:
                curtain.close_over(card)
            else:
                curtain.open()
        self.on_change()

    # --- reveal -------------------------------------------------------------------------
    def reveal(self) -> None:
        """Score the guesses (the next token: on the model's thread) and show the answer."""
        quiz, session = self.quiz, self.session
        if not quiz.hidden or quiz.scoring:
            return
        analysis = session.analysis
        if analysis is None or not session.analysis_is_current:
            self._reveal_waits = True  # once the prompt on screen is analysed
            quiz.set_scoring(True)
            return
        try:
            if quiz.kind == "next_token":
                self._score_next_token()
            elif quiz.kind == "attention":
                quiz.set_result(self._attention_result())
            elif quiz.kind == "token_count":
                quiz.set_result(self._count_result())
            elif quiz.kind == "cosine":
                quiz.set_result(self._cosine_result())
        except PlaygroundError as error:
            self._failed(str(error))

    def _failed(self, message: str) -> None:
        """The round stays open (nothing revealed); the status line says why."""
        self.quiz.set_scoring(False)
        self.session.report_error(message)

    def _on_analysis(self) -> None:
        if self._reveal_waits and self.session.analysis_is_current:
            self._reveal_waits = False
            self.quiz.scoring = False
            self.reveal()

    def _score_next_token(self) -> None:
        session, quiz = self.session, self.quiz
        analysis = session.analysis
        assert analysis is not None
        ids, guesses = list(analysis.ids), list(quiz.guesses)
        if not ids:
            raise PlaygroundError(self.tr("The prompt is empty: there is nothing to guess."))
        lm = session.model
        assert lm is not None

        def done(scored: object) -> None:
            scores, answer = scored  # type: ignore[misc]
            rows = tuple(
                {
                    "guess": s.guess,
                    "scored_as": s.text,
                    "tokens": [lm.piece(i).display for i in s.ids],
                    "probability": s.prob,
                    "rank": s.rank,
                    "surprise_bits": s.surprise_bits,
                }
                for s in scores
            )
            text = self.tr("{token} ({prob}), the model's most likely next token").format(
                token=html.escape(repr(answer.text)), prob=f"{answer.prob:.1%}"
            )
            quiz.set_result(QuizResult("next_token", text, answer.text, rows))

        quiz.set_scoring(True)
        session.score_guesses(guesses, done, self._failed)

    def _attention_result(self) -> QuizResult:
        session = self.session
        analysis, index = session.analysis, session.selected_token
        if analysis is None or analysis.forward is None:
            raise PlaygroundError(self.tr("The prompt is empty: there is no attention to guess."))
        if index is None:
            raise PlaygroundError(self.tr("Select a token first: its attention is the answer."))
        view = session.attention_view
        matrix = attention_matrix(
            analysis.forward.attentions, view.scope, view.layer, view.head, view.hide_first
        )  # (T, T)
        texts = [p.text or "" for p in analysis.pieces]
        scores, best = score_attention(matrix[index], texts, self.quiz.guesses)
        rows = tuple(
            {
                "guess": s.guess,
                "token_index": s.position,
                "attention": None if s.position is None else s.weight,
                "rank": s.rank,
                "surprise_bits": None if s.position is None else s.surprise_bits,
            }
            for s in scores
        )
        shown = analysis.pieces[best].display
        text = self.tr("{query} looks most at {token} (#{index}, {weight})").format(
            query=html.escape(repr(analysis.pieces[index].display)),
            token=html.escape(repr(shown)),
            index=best,
            weight=f"{matrix[index][best]:.1%}",
        )
        return QuizResult("attention", text, shown, rows)

    def _count_result(self) -> QuizResult:
        lm, word = self.session.model, self.quiz.word or ""
        assert lm is not None
        ids = lm.encode(word, special=False, continues=True)
        if not ids:
            raise PlaygroundError(self.tr("Type a word to count the tokens of."))
        pieces = " · ".join(repr(lm.piece(i).display) for i in ids)
        text = self.tr("{word} is {n} token(s): {pieces}").format(
            word=html.escape(repr(word)), n=len(ids), pieces=html.escape(pieces)
        )
        return QuizResult("token_count", text, len(ids), self._number_rows(len(ids)))

    def _cosine_result(self) -> QuizResult:
        cosine = self.cosine()
        if cosine is None:
            raise PlaygroundError(self.tr("The embedding map is still loading: try again soon."))
        first, second = self.session.compared_words.words
        text = self.tr("cos({a}, {b}) = {cosine}").format(
            a=html.escape(first), b=html.escape(second), cosine=f"{cosine:+.3f}"
        )
        return QuizResult("cosine", text, round(cosine, 6), self._number_rows(cosine))

    def _number_rows(self, answer: float) -> tuple[dict[str, object], ...]:
        return tuple(
            {"guess": s.guess, "value": s.value, "off_by": s.off_by}
            for s in score_numbers(answer, self.quiz.guesses)
        )
