"""Attention panel: every head of every layer, for any token.

Left: the layer x head overview (small multiples). Right: the chosen head (or a mean) as
a labelled matrix, the selected token's attention over the prompt, and per-head
statistics. Everything follows the Session's selected token.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.attention_view import Scope
from playground.engine.runtime.attention_maps import AttentionMaps
from playground.ui.panels.attention.attention_compare import AttentionCompare, Showing
from playground.ui.panels.attention.attention_detail import AttentionDetail
from playground.ui.panels.attention.attention_overview import SLIDING_MARK, AttentionOverview
from playground.ui.panels.attention.head_stats_table import HeadStatsTable
from playground.ui.panels.attention.knock_out_bar import KnockOutBar
from playground.ui.panels.attention.token_summary import gained_and_lost, looks_most_at
from playground.ui.panels.attention.view_controls import HIDE_FIRST_NOTE, SCOPES, ViewControls
from playground.ui.panels.attention.view_title import view_title
from playground.ui.state.attention_view import ShownMatrix
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.score_chips import ScoreChips
from playground.ui.widgets.signals_blocked import signals_blocked


class AttentionPanel(OnScreenUpdates):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._shown = ShownMatrix()  # the matrix on screen, computed once per maps and view

        self.compare = AttentionCompare(session)  # B, a pinned A, or B - A
        controls = ViewControls(self.compare.choice)
        self.scope, self.layer, self.head = controls.scope, controls.layer, controls.head
        self.hide_first, self.all_layers = controls.hide_first, controls.all_layers
        hide_first_note = QCoreApplication.translate("AttentionPanel", HIDE_FIRST_NOTE)
        self.note = QLabel(hide_first_note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b35900;")
        self.note.hide()

        self.overview = AttentionOverview()
        self.overview_caption = QLabel()
        self.overview_caption.setWordWrap(True)
        self.overview_caption.setStyleSheet("color: palette(mid);")
        overview_box = QWidget()
        overview_layout = QVBoxLayout(overview_box)
        overview_layout.setContentsMargins(0, 0, 0, 0)
        overview_layout.addWidget(self.overview, 1)
        overview_layout.addWidget(self.overview_caption)

        self.detail = AttentionDetail()
        self.token_view = ScoreChips(top_margin=44)  # weights; B - A as signed scores
        self.token_summary = QLabel()
        self.token_summary.setWordWrap(True)
        token_scroll = QScrollArea()
        token_scroll.setWidgetResizable(True)
        token_scroll.setWidget(self.token_view)
        token_box = self.token_tab = QWidget()
        token_layout = QVBoxLayout(token_box)
        token_layout.setContentsMargins(0, 0, 0, 0)
        token_layout.addWidget(self.token_summary)
        token_layout.addWidget(token_scroll, 1)
        self.stats = HeadStatsTable()
        self.tabs = QTabWidget()
        self.tabs.addTab(token_box, self.tr("Token view"))
        self.tabs.addTab(self.detail, self.tr("Matrix"))
        self.tabs.addTab(self.stats, self.tr("Head statistics"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(overview_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(controls)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)

        self.scope.currentIndexChanged.connect(self._on_controls_changed)
        self.layer.valueChanged.connect(self._on_controls_changed)
        self.head.valueChanged.connect(self._on_controls_changed)
        self.hide_first.toggled.connect(self._on_controls_changed)
        self.all_layers.toggled.connect(self._on_controls_changed)
        self.compare.choice.currentIndexChanged.connect(self.refresh)
        self.follow(session.pinned.changed, self.refresh)
        self.overview.head_clicked.connect(self._on_head_chosen)
        self.overview.knock_out_toggled.connect(session.interventions.toggle_head)
        session.interventions.changed.connect(self._show_knock_outs)
        self.knock_outs = KnockOutBar(session)  # what is switched off, in every panel's run
        overview_layout.addWidget(self.knock_outs)
        self.overview.head_hovered.connect(self.overview_caption.setText)
        self.stats.head_chosen.connect(self._on_head_chosen_from_table)
        self.detail.query_clicked.connect(session.select_token)
        self.token_view.clicked.connect(session.select_token)
        session.model_changed.connect(self._on_model_changed)
        self.follow(session.analysis_changed, self._on_analysis_changed)
        self.follow(session.attention_view_changed, self.refresh)
        self.follow(session.selection_changed, self._on_selection_changed)
        session.extras.induction_changed.connect(self._on_stats_changed)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._stats_dirty = True
        self._on_model_changed()

    # --- Session -> view ----------------------------------------------------------------------
    def _on_model_changed(self) -> None:
        info = self.session.model_info
        if info is None:
            return
        arch = info.architecture
        for spin, count in ((self.layer, arch.n_layer), (self.head, arch.n_head)):
            with signals_blocked(spin):
                spin.setRange(0, count - 1)
        self.refresh()

    def refresh(self) -> None:
        view = self.session.attention_view
        for widget, value in ((self.layer, view.layer), (self.head, view.head)):
            with signals_blocked(widget):
                widget.setValue(value)
        for box, checked in (
            (self.hide_first, view.hide_first),
            (self.all_layers, view.all_layers),
        ):
            with signals_blocked(box):
                box.setChecked(checked)
        with signals_blocked(self.scope):
            self.scope.setCurrentIndex([s for s, _ in SCOPES].index(view.scope))
        self.layer.setEnabled(view.scope is not Scope.ALL_MEAN)
        self.head.setEnabled(view.scope is Scope.HEAD)
        self.note.setVisible(view.hide_first)
        self.compare.choice.setVisible(self.compare.available)
        self._draw_overview()
        self._draw_detail()
        self._draw_token_view()

    def _on_analysis_changed(self) -> None:
        self.refresh()
        self._on_stats_changed()

    def _on_stats_changed(self) -> None:
        """Rebuild the 270-row table now if it is on screen, else when it is opened."""
        self._stats_dirty = True
        if self.tabs.currentWidget() is self.stats:
            self._refresh_stats()

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.stats and self._stats_dirty:
            self._refresh_stats()

    def _attentions(self) -> AttentionMaps | None:  # (L, H, T, T)
        analysis = self.session.analysis
        if analysis is None or analysis.forward is None:
            return None
        return analysis.forward.attentions

    def labels(self) -> list[str]:
        analysis = self.session.analysis
        if analysis is None:
            return []
        return [p.label for p in analysis.pieces]

    def _show_knock_outs(self) -> None:
        knock_out = self.session.interventions.knock_out
        self.overview.set_knocked(set(knock_out.heads))

    def _draw_overview(self) -> None:
        info = self.session.model_info
        attentions = self._attentions()
        view = self.session.attention_view
        if info is None or attentions is None:
            self.overview.show_attention(None, (), 1, False, None)
            return
        arch = info.architecture
        layers = tuple(range(arch.n_layer)) if view.all_layers else (view.layer,)
        current = (view.layer, view.head) if view.scope is Scope.HEAD else None
        windows = {i: arch.window_of(i) for i in arch.sliding_layers}
        self.overview.show_attention(
            attentions, layers, arch.group_size, view.hide_first, current, windows
        )
        if _waiting_for_summary(attentions):
            analysis = self.session.analysis
            waiting = (
                self.tr("{n} tokens: computing every layer's maps for the overview…")
                if analysis is not None and analysis.statistics_pending
                else self.tr(
                    "{n} tokens: the overview is drawn once every layer has been computed, "
                    "after generation."
                )
            )
            self.overview_caption.setText(waiting.format(n=f"{attentions.n_tokens:,}"))
        elif windows:
            self.overview_caption.setText(
                self.tr(
                    "Click a head to open it. L…{mark}: a sliding-window layer, where each "
                    "token sees only its last {window} tokens."
                ).format(mark=SLIDING_MARK, window=max(windows.values()))
            )
        else:
            self.overview_caption.setText(self.tr("Click a head to open it."))

    def current_matrix(self):  # -> np.ndarray | None, (T, T)
        attentions = self._attentions()
        if attentions is None:
            return None
        view = self.session.attention_view
        if view.scope is Scope.ALL_MEAN and _waiting_for_summary(attentions):
            return None  # 30 layers to compute: the mean comes with the analysis after generating
        return self.compare.matrix(self._shown.of(attentions, view), view)

    def view_title(self) -> str:
        info = self.session.model_info
        if info is None:
            return ""
        title = view_title(self.session.attention_view, info.architecture)
        return title + self.compare.title_suffix()

    def _draw_detail(self) -> None:
        self.detail.show_matrix(
            self.current_matrix(),
            self.labels(),
            f"<b>{self.view_title()}</b>",
            first_hidden=self.session.attention_view.hide_first,
            signed=self.compare.showing is Showing.DIFFERENCE,
        )
        self.detail.set_selected(self.session.selected_token)

    def query_index(self) -> int | None:
        """The token whose attention the token view shows: the selected one, else the last."""
        return self.session.focus_token

    def _draw_token_view(self) -> None:
        analysis = self.session.analysis
        self.token_view.set_analysis(analysis)
        query = self.query_index()
        matrix = self.current_matrix()
        if query is None or matrix is None:
            self.token_view.set_weights(None, None)
            self.token_summary.setText(self.tr("Type a prompt to see what each token attends to."))
            return
        weights = matrix[query]  # (T,) over keys; zero after the query (causal)
        self.token_view.set_selected(query)
        labels = self.labels()
        if self.compare.showing is Showing.DIFFERENCE:
            self._draw_difference_row(weights, query, labels)
            return
        self.token_view.set_scores(None)
        self.token_view.set_weights(weights, query, self.session.attention_view.hide_first)
        self.token_summary.setText(looks_most_at(weights, query, labels, self.view_title()))

    def _draw_difference_row(self, change: np.ndarray, query: int, labels: list[str]) -> None:
        """The query's row of B - A on the chips, in percentage points (NaN: later keys)."""
        points = np.where(np.arange(len(change)) <= query, 100 * change, np.nan)  # (T,)
        if self.session.attention_view.hide_first:
            points[0] = np.nan
        self.token_view.set_weights(None, None)
        self.token_view.set_scores(points)
        differ = self.compare.tokens_differ()
        summary = gained_and_lost(points, query, labels, self.view_title(), differ)
        self.token_summary.setText(summary)

    def _refresh_stats(self) -> None:
        self._stats_dirty = False
        analysis = self.session.analysis
        info = self.session.model_info
        stats = analysis.head_stats if analysis is not None else None
        group = info.architecture.group_size if info is not None else 1
        self.stats.show_statistics(stats, self.session.extras.induction_scores, group)

    def _on_selection_changed(self) -> None:
        self.detail.set_selected(self.session.selected_token)
        self._draw_token_view()

    # --- view -> Session ----------------------------------------------------------------------
    def _on_controls_changed(self, *_args: object) -> None:
        self.session.set_attention_view(
            scope=SCOPES[self.scope.currentIndex()][0],
            layer=self.layer.value(),
            head=self.head.value(),
            hide_first=self.hide_first.isChecked(),
            all_layers=self.all_layers.isChecked(),
        )

    def _on_head_chosen(self, layer: int, head: int) -> None:
        self.session.set_attention_view(scope=Scope.HEAD, layer=layer, head=head)

    def _on_head_chosen_from_table(self, layer: int, head: int) -> None:
        self._on_head_chosen(layer, head)
        self.tabs.setCurrentWidget(self.detail)

    def export_rows(self) -> list[dict[str, Any]]:
        """The matrix on screen: one row per query token, one column per key token."""
        analysis, _ = self.session.exportable()
        matrix = self.current_matrix()  # (T, T)
        if matrix is None:
            raise PlaygroundError(self.tr("There is no attention to export for an empty prompt."))
        labels = [f"{j}:{p.display}" for j, p in enumerate(analysis.pieces)]
        return [
            {
                "view": self.view_title(),
                "query": labels[i],
                **{labels[j]: float(matrix[i, j]) for j in range(matrix.shape[1])},
            }
            for i in range(matrix.shape[0])
        ]


def _waiting_for_summary(attentions: AttentionMaps) -> bool:
    """Long maps (computed a layer at a time) whose all-layer summaries are not made yet:
    a snapshot while generating."""
    return not attentions.is_whole and not attentions.summary
