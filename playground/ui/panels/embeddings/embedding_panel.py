"""Embedding-space panel: the model's own embedding matrix (49,152 tokens x 576 numbers)
as a map, with the prompt on top, search, nearest neighbours, cosine similarity of two
words, and a token's path through the layers."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.ui.panels.embeddings.compare_words_box import (
    CompareWordsBox,
    WordTokens,
    word_tokens,
)
from playground.ui.panels.embeddings.embedding_map import EmbeddingMap
from playground.ui.panels.embeddings.map_texts import map_notes, map_status
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates

MAP_KINDS = [
    QT_TRANSLATE_NOOP("EmbeddingPanel", "Map: PCA (two directions of most variance)"),
    QT_TRANSLATE_NOOP("EmbeddingPanel", "Map: UMAP (similar tokens together)"),
]
N_NEIGHBOURS = 12


class EmbeddingPanel(OnScreenUpdates):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.focus_id: int | None = None  # vocabulary token whose neighbours are listed
        self.map = EmbeddingMap()
        self.status = QLabel(self.tr("Loading the embedding map…"))
        self.map_kind = QComboBox()
        self.map_kind.addItems([QCoreApplication.translate("EmbeddingPanel", k) for k in MAP_KINDS])
        self.map_kind.setToolTip(
            self.tr(
                "PCA: a projection on two axes (hidden states can be placed on it too). UMAP: "
                "each token placed near its nearest neighbours, made once per model."
            )
        )
        self.status.setWordWrap(True)
        self.hover = QLabel(" ")
        self.hover.setStyleSheet("color: palette(mid);")

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("Search a word, e.g. king"))
        self.search_box.setToolTip(self.tr("Find where a word's token(s) sit on the map."))
        self.search_result = QLabel()
        self.search_result.setWordWrap(True)

        self.neighbour_title = QLabel()
        self.neighbour_title.setWordWrap(True)
        self.neighbour_list = QListWidget()
        self.neighbour_list.setToolTip(self.tr("Click a neighbour to see its own neighbours."))

        compare_box = CompareWordsBox(session.compared_words)
        self.compare_a, self.compare_b = compare_box.compare_a, compare_box.compare_b
        self.presets, self.compare_result = compare_box.presets, compare_box.compare_result

        self.show_path = QCheckBox(self.tr("The selected token's path through the layers"))
        self.show_path.setToolTip(
            self.tr(
                "Its hidden state after each layer, on the same two axes (direction only: the "
                "state is normalised and scaled to a typical embedding's length)."
            )
        )
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: palette(mid);")

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.search_box)
        side_layout.addWidget(self.search_result)
        side_layout.addWidget(self.neighbour_title)
        side_layout.addWidget(self.neighbour_list, 1)
        side_layout.addWidget(compare_box)
        side_layout.addWidget(self.show_path)
        side_layout.addWidget(self.notes)
        map_box = QWidget()
        map_layout = QVBoxLayout(map_box)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addWidget(self.map_kind)
        map_layout.addWidget(self.status)
        map_layout.addWidget(self.map, 1)
        map_layout.addWidget(self.hover)
        # on a short screen (a projector at 1280 x 720) the column scrolls instead of
        # squeezing the compare box's fields into each other
        self.neighbour_list.setMinimumHeight(80)
        side_scroll = QScrollArea()
        side_scroll.setWidget(side)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter = QSplitter()
        splitter.addWidget(map_box)
        splitter.addWidget(side_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])  # the same 3 : 2 from the start, not the hints' split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        self.search_box.textChanged.connect(self._update_search)
        self.show_path.toggled.connect(self._update_path)
        self.neighbour_list.itemClicked.connect(self._on_neighbour_clicked)
        self.map.token_clicked.connect(self.set_focus_token)
        self.map.token_hovered.connect(self._on_map_hover)
        self.follow(session.extras.embeddings_changed, self.refresh)
        self.follow(session.extras.meaning_map.changed, self.refresh)
        self.map_kind.currentIndexChanged.connect(self._on_map_kind)
        self.follow(session.compared_words.changed, self._update_compare)
        self.follow(session.analysis_changed, self._on_analysis_changed)
        self.follow(session.selection_changed, self._on_selection_changed)
        self.refresh()

    # --- helpers --------------------------------------------------------------------------

    def word_tokens(self, text: str) -> WordTokens | None:
        return word_tokens(self.session.model, text)

    # --- Session -> view ----------------------------------------------------------------------
    def refresh(self) -> None:
        space = self.session.extras.embedding_space
        if space is None:
            self.map.set_cloud(None)
            self.status.setText(
                self.session.extras.embeddings_error or self.tr("Loading the embedding map…")
            )
            return
        umap = self.umap_coords()
        coords = umap if umap is not None else space.projection.coords
        if self.map.coords is not coords:
            self.map.set_cloud(coords)
        self.map.setLabel(
            "bottom", "UMAP 1" if umap is not None else self.tr("principal component 1")
        )
        self.map.setLabel(
            "left", "UMAP 2" if umap is not None else self.tr("principal component 2")
        )
        self.show_path.setEnabled(umap is None)
        shown_umap = umap is not None
        self.status.setText(map_status(space.vocab_size, space.dim, shown_umap) + self._umap_note())
        self.notes.setText(map_notes(space.projection.explained, space.dim, shown_umap))
        self._on_analysis_changed()
        self._update_search()
        self._update_compare()

    def _on_analysis_changed(self) -> None:
        analysis = self.session.analysis
        if self.session.extras.embedding_space is None or analysis is None:
            return
        ids = list(analysis.ids)
        self.map.show_prompt(ids, [self.session.token_label(i) for i in ids])
        self._on_selection_changed()

    def _on_selection_changed(self) -> None:
        analysis = self.session.analysis
        index = self.session.selected_token
        if analysis is not None and index is not None and index < analysis.n_tokens:
            self.set_focus_token(analysis.ids[index])
        elif self.focus_id is None and analysis is not None and analysis.ids:
            self.set_focus_token(analysis.ids[-1])
        self._update_path()

    def set_focus_token(self, token_id: int) -> None:
        """List the nearest neighbours of a vocabulary token and mark them on the map."""
        space = self.session.extras.embedding_space
        if space is None:
            return
        self.focus_id = int(token_id)
        self.map.show_selected(self.focus_id)
        found = space.neighbours(space.vectors[self.focus_id], N_NEIGHBOURS, {self.focus_id})
        self.neighbours = found
        self.neighbour_title.setText(
            self.tr(
                "<b>Nearest to {token}</b> (id {id}) by cosine similarity in all {dim} dimensions:"
            ).format(
                token=repr(self.session.token_label(self.focus_id)), id=self.focus_id, dim=space.dim
            )
        )
        self.neighbour_list.clear()
        for n in found:
            item = QListWidgetItem(
                f"{n.similarity:+.3f}   {self.session.token_label(n.token_id)!r}"
            )
            item.setData(256, n.token_id)
            self.neighbour_list.addItem(item)
        self.map.show_neighbours(
            [n.token_id for n in found], [self.session.token_label(n.token_id) for n in found]
        )

    def _update_search(self) -> None:
        space = self.session.extras.embedding_space
        word = self.word_tokens(self.search_box.text())
        if space is None or word is None:
            self.map.show_search([], [])
            self.search_result.setText("")
            return
        self.search_ids = word.ids
        self.map.show_search(word.ids, [self.session.token_label(i) for i in word.ids])
        pieces = " + ".join(f"{self.session.token_label(i)!r} ({i})" for i in word.ids)
        many = (
            self.tr(" — {n} tokens, each shown").format(n=len(word.ids))
            if len(word.ids) > 1
            else ""
        )
        self.search_result.setText(
            self.tr("{word} is {pieces}{many}.").format(
                word=repr(word.text.strip()), pieces=pieces, many=many
            )
        )

    def compare_words(self) -> tuple[float, WordTokens, WordTokens] | None:
        space = self.session.extras.embedding_space
        first, second = self.session.compared_words.words
        a, b = self.word_tokens(first), self.word_tokens(second)
        if space is None or a is None or b is None:
            return None
        return space.cosine(space.vector_of(a.ids), space.vector_of(b.ids)), a, b

    def _update_compare(self) -> None:
        result = self.compare_words()
        space = self.session.extras.embedding_space
        if result is None or space is None:
            self.compare_result.setText(self.tr("Type two words."))
            self.map.show_compare([])
            return
        cosine, a, b = result

        def describe(w: WordTokens) -> str:
            pieces = " + ".join(repr(self.session.token_label(i)) for i in w.ids)
            return pieces if len(w.ids) == 1 else self.tr("mean of {pieces}").format(pieces=pieces)

        self.compare_result.setText(
            f"cos({describe(a)}, {describe(b)}) = <b>{cosine:+.3f}</b><br>"
            + self.tr("1 = same direction, 0 = unrelated, −1 = opposite.")
        )
        umap = self.umap_coords()
        points = [
            (
                f"{w.text.strip()}",
                umap[w.ids].mean(axis=0)
                if umap is not None
                else space.projection.project(space.vector_of(w.ids)),
            )
            for w in (a, b)
        ]
        self.map.show_compare(points)

    def _update_path(self) -> None:
        space = self.session.extras.embedding_space
        analysis = self.session.analysis
        index = self.session.focus_token
        if (
            not self.show_path.isChecked()
            or self.umap_coords() is not None
            or space is None
            or analysis is None
            or analysis.forward is None
            or index is None
        ):
            self.map.show_path(None)
            return
        self.map.show_path(space.layer_path(analysis.forward, index))

    def _on_neighbour_clicked(self, item: QListWidgetItem) -> None:
        self.set_focus_token(int(item.data(256)))

    def umap_coords(self) -> np.ndarray | None:  # (V, 2) when the UMAP map is shown
        if self.map_kind.currentIndex() != 1:
            return None
        return self.session.extras.meaning_map.coords

    def _umap_note(self) -> str:
        meaning = self.session.extras.meaning_map
        if self.map_kind.currentIndex() != 1 or meaning.coords is not None:
            return ""
        if meaning.error:
            return self.tr(" {error} (PCA shown).").format(error=meaning.error)
        if meaning.progress is not None:
            stage, done, total = meaning.progress
            amount = f" {100 * done // total} %" if total else ""
            return self.tr(
                " Making the UMAP map (once for this model): {stage}{amount}; PCA until then."
            ).format(stage=stage, amount=amount)
        return ""

    def _on_map_kind(self, index: int) -> None:
        if index == 1:
            self.session.extras.meaning_map.request()
        self.refresh()
        self._update_path()

    def _on_map_hover(self, token_id: int) -> None:
        self.map.show_hover(token_id, self.session.token_label(token_id))
        self.hover.setText(
            self.tr("{token} (id {id}) — click for its neighbours").format(
                token=repr(self.session.token_label(token_id)), id=token_id
            )
        )

    def export_rows(self) -> list[dict[str, Any]]:
        """Every token's place on the map, and whether the prompt holds it."""
        analysis, lm = self.session.exportable()
        space = self.session.extras.embedding_space
        if space is None:
            raise PlaygroundError(self.tr("The embedding map is not loaded yet."))
        in_prompt = set(analysis.ids)
        umap = self.umap_coords()
        coords = umap if umap is not None else space.projection.coords  # (V, 2)
        return [
            {
                "id": token,
                "token": lm.piece(token).display,
                "x": float(coords[token, 0]),
                "y": float(coords[token, 1]),
                "in_prompt": token in in_prompt,
            }
            for token in range(coords.shape[0])
        ]
