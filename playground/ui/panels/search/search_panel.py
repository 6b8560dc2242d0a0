"""Semantic search and RAG, visible: a collection (the passages built into the app, or a
folder of .txt / .md files, embedded once into an index on disk), a query's passages
ranked by cosine with the words that matched, and a question answered by the language
model with the top passages in its prompt and without them, with each passage's share
of the answer's attention and what the answer loses without it."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from playground.engine.inspect.sentence_similarity import matching_words
from playground.ui.state.search_view import DEFAULT_TOP, SearchView
from playground.ui.widgets.signals_blocked import signals_blocked
from playground.ui.widgets.word_shares import word_shares_html

EXAMPLE_QUERY = "What is the capital of Turkey?"


class SearchPanel(QWidget):
    # (question alone, the prompt with the passages): shown in the other panels, A and B
    compare_requested = Signal(str, str)

    def __init__(self, view: SearchView) -> None:
        super().__init__()
        self.view = view
        self.collection = QLabel(self.tr("Collection: the passages built into the app"))
        self.choose = QPushButton(self.tr("Search a folder…"))
        self.choose.setToolTip(
            self.tr("A folder of .txt and .md files: embedded once, then kept up to date")
        )
        self.built_in = QPushButton(self.tr("Built-in passages"))
        self.built_in.setToolTip(self.tr("Search the short passages that come with the app again"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.query = QLineEdit(EXAMPLE_QUERY)
        self.query.setPlaceholderText(self.tr("A question or a few words"))
        self.top = QSpinBox(minimum=1, maximum=10, value=view.top, prefix=self.tr("top "))
        self.top.setToolTip(self.tr("How many passages to show and to put into the prompt"))
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setToolTip(
            self.tr("Rank the passages by the cosine of their vectors with the question's")
        )
        self.ask_button = QPushButton(self.tr("Ask the model with the passages (RAG)"))
        self.ask_button.setToolTip(
            self.tr("Put the top passages into the chat prompt and answer with and without them")
        )
        self.results = QTextBrowser()
        self.results.setOpenLinks(False)
        self.with_context = QTextBrowser()
        self.without_context = QTextBrowser()
        self.show_compare = QPushButton(
            self.tr("Show in the panels: A without, B with the passages")
        )
        self.show_compare.setToolTip(
            self.tr(
                "Open both prompts in Compare: see the tokens, attention and answers side by side"
            )
        )
        self.show_compare.setEnabled(False)

        row = QHBoxLayout()
        row.addWidget(self.collection, 1)
        row.addWidget(self.progress)
        row.addWidget(self.built_in)
        row.addWidget(self.choose)
        ask = QHBoxLayout()
        ask.addWidget(self.query, 1)
        ask.addWidget(self.top)
        ask.addWidget(self.search_button)
        ask.addWidget(self.ask_button)
        answers = QSplitter()
        for title, browser in (
            (self.tr("With the passages"), self.with_context),
            (self.tr("Without them"), self.without_context),
        ):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(browser)
            answers.addWidget(box)
        lower = QWidget()
        lower_column = QVBoxLayout(lower)
        lower_column.setContentsMargins(0, 0, 0, 0)
        lower_column.addWidget(answers, 1)
        lower_column.addWidget(self.show_compare)
        # small minimums so that the window fits 1280 x 720 (a projector) unsqueezed
        self.results.setMinimumHeight(60)
        for browser in (self.with_context, self.without_context):
            browser.setMinimumHeight(40)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.results)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)  # the ranked passages get most of the room
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.messages)
        layout.addLayout(ask)
        layout.addWidget(split, 1)

        self.choose.clicked.connect(self._choose_folder)
        self.built_in.clicked.connect(lambda: view.open(None))
        self.search_button.clicked.connect(lambda: view.search(self.query.text()))
        self.query.returnPressed.connect(lambda: view.search(self.query.text()))
        self.ask_button.clicked.connect(lambda: view.ask(self.query.text()))
        self.top.valueChanged.connect(self._on_top)
        self.show_compare.clicked.connect(self._on_show_compare)
        view.changed.connect(self.refresh)
        self.refresh()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("A folder of .txt and .md files"))
        if folder:
            self.view.open(Path(folder))

    def _on_top(self, value: int) -> None:
        self.view.set_top(value)

    def _on_show_compare(self) -> None:
        rag = self.view.rag
        if rag is not None:
            self.compare_requested.emit(rag.question, rag.prompt.message)

    def run_query(self, text: str, ask: bool = False, top: int | None = None) -> None:
        """Search for (or, `ask`, answer) this text, as if typed; `top` passages (the
        default number if None)."""
        self.view.set_top(top or DEFAULT_TOP)
        (self.view.ask if ask else self.view.search)(text)

    # --- output -------------------------------------------------------------------------------
    def refresh(self) -> None:
        view = self.view
        if view.query and view.query != self.query.text() and not self.query.hasFocus():
            self.query.setText(view.query)  # (a session file's, a lesson's)
        with signals_blocked(self.top):
            self.top.setValue(view.top)
        where = (
            self.tr("the passages built into the app") if view.folder is None else str(view.folder)
        )
        collection = view.collection
        if collection is not None:
            report = collection.report
            files = len(report.embedded) + len(report.unchanged)
            where += self.tr(": {passages} passages from {files} files").format(
                passages=report.passages, files=files
            )
            if report.embedded and collection.folder is not None:
                where += self.tr(" ({count} embedded now)").format(count=len(report.embedded))
        self.collection.setText(self.tr("Collection: {where}").format(where=where))
        p = view.progress
        self.progress.setVisible(p is not None)
        if p is not None:
            self.progress.setRange(0, p.total or 0)
            self.progress.setValue(p.done)
            self.progress.setFormat(f"{p.stage} %p%")
        lines = collection.report.messages() if collection is not None else []
        if view.error:
            lines.insert(0, view.error)
        self.messages.setText("\n".join(lines))
        self.messages.setVisible(bool(lines))
        self.ask_button.setEnabled(not view.asking)
        self.ask_button.setText(
            self.tr("Answering…")
            if view.asking
            else self.tr("Ask the model with the passages (RAG)")
        )
        self._show_results()
        self._show_answers()

    def _show_results(self) -> None:
        result = self.view.result
        if result is None:
            self.results.setHtml(
                self.tr(
                    "<p>Search ranks every passage by the cosine of its vector with the query's; "
                    "the words of a passage that add most to that cosine are marked.</p>"
                )
            )
            return
        parts = [f"<p><b>{escape(result.query)}</b></p>"]
        matching = self.tr("matching words: {words}")
        for rank, (hit, why) in enumerate(zip(result.hits, result.why, strict=True), 1):
            marked = matching.format(words=word_shares_html(matching_words(why.words_b, 6)))
            parts.append(
                f"<p><b>{rank}. {hit.score:.3f}</b> &nbsp;<i>{escape(hit.passage.source)}</i><br>"
                f"{escape(hit.passage.text)}<br><small>{marked}</small></p>"
            )
        self.results.setHtml("".join(parts))

    def _show_answers(self) -> None:
        rag = self.view.rag
        self.show_compare.setEnabled(rag is not None)
        if rag is None:
            self.with_context.setHtml(
                self.tr(
                    "<p>The top passages go into the chat prompt; the model answers greedily.</p>"
                )
            )
            self.without_context.setHtml(self.tr("<p>The same question alone.</p>"))
            return
        rows = "".join(
            f"<tr><td>[{k + 1}]</td><td>{escape(hit.passage.source)}</td>"
            f"<td align='right'>{100 * share:.1f} %</td><td align='right'>{nats:+.2f}</td></tr>"
            for k, (hit, share, nats) in enumerate(
                zip(rag.hits, rag.attention_share, rag.attribution, strict=True)
            )
        )
        self.with_context.setHtml(
            f"<p><b>{escape(rag.answer.strip())}</b></p>"
            + self.tr(
                "<table cellspacing=4><tr><th></th><th>passage</th><th>attention</th>"
                "<th>nats lost without it</th></tr>{rows}</table>"
                "<p><small>Attention: of all the attention the answer's tokens pay (mean over "
                "layers and heads), the share on the passage. Nats: log p(answer) with every "
                "passage minus without this one.</small></p>"
            ).format(rows=rows)
        )
        self.without_context.setHtml(f"<p><b>{escape(rag.answer_without_context.strip())}</b></p>")
