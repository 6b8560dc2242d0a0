"""Activation patching: which layer, at which token, carries the fact. Two prompts of the
same length in tokens, the site patched, Run; a heatmap of how much of the clean answer
each patched cell brings back, and a click opens that cell's run in every panel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.engine.inspect.patching import Patching
from playground.ui.state.patching_view import PatchingView
from playground.ui.widgets.signals_blocked import signals_blocked

from .effect_heatmap import EffectHeatmap


class PatchingTab(QWidget):
    def __init__(self, view: PatchingView, token_text) -> None:
        super().__init__()
        self.view, self.token_text = view, token_text
        self.clean, self.corrupted = QLineEdit(), QLineEdit()
        self.clean.setToolTip(self.tr("The prompt whose answer is restored"))
        self.corrupted.setToolTip(self.tr("The same length in tokens, one fact changed"))
        self.site = QComboBox()
        for key, title in (
            ("resid", self.tr("the stream entering each block")),
            ("attn", self.tr("each block's attention output")),
            ("mlp", self.tr("each block's MLP output")),
            ("head", self.tr("each head, at every token")),
        ):
            self.site.addItem(title, key)
        self.site.setToolTip(self.tr("Which activation is taken from the clean run"))
        self.target = QLineEdit()
        self.target.setPlaceholderText(self.tr("the clean run's top token"))
        self.target.setToolTip(self.tr("The answer measured, e.g. ' Paris'"))
        self.run_button = QPushButton(self.tr("Patch every cell"))
        self.run_button.setToolTip(self.tr("Run the corrupted prompt once per cell, patched"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop patching"))
        self.progress = QProgressBar()
        self.progress.setToolTip(self.tr("Cells patched so far"))
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.heatmap = EffectHeatmap()
        form = QFormLayout()
        form.addRow(self.tr("Clean"), self.clean)
        form.addRow(self.tr("Corrupted"), self.corrupted)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Patch")))
        row.addWidget(self.site, 1)
        row.addWidget(QLabel(self.tr("Answer")))
        row.addWidget(self.target, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.heatmap, 1)
        self.run_button.clicked.connect(self._run)
        self.cancel_button.clicked.connect(view.cancel)
        self.heatmap.cell_clicked.connect(view.open_cell)
        view.changed.connect(self.refresh)
        self.refresh()

    def _run(self) -> None:
        self.view.set_inputs(
            self.clean.text(), self.corrupted.text(), self.site.currentData(), self.target.text()
        )
        self.view.run()

    def refresh(self) -> None:
        v = self.view
        with signals_blocked(self.clean, self.corrupted, self.site, self.target):
            if not self.clean.hasFocus():
                self.clean.setText(v.clean)
            if not self.corrupted.hasFocus():
                self.corrupted.setText(v.corrupted)
            self.site.setCurrentIndex(max(0, self.site.findData(v.site)))
            if not self.target.hasFocus():
                self.target.setText(v.target_text)
        self.cancel_button.setEnabled(v.running)
        done, total = v.progress
        self.progress.setVisible(v.running)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        result = v.result
        if v.error:
            self.status.setText(v.error)
        elif v.running:
            self.status.setText(
                self.tr("Patching cell {done} of {total}…").format(done=done, total=total)
            )
        elif isinstance(result, Patching):
            self.status.setText(self._summary(result))
        else:
            self.status.setText(
                self.tr(
                    "Two prompts of the same length in tokens, one fact changed: Patch every cell."
                )
            )
        if isinstance(result, Patching):
            self.heatmap.show_effect(result.effect, *self._columns(result))
        else:
            self.heatmap.show_effect(None, [], "")

    def _columns(self, result: Patching) -> tuple[list[str], str]:
        if result.site == "head":
            return [str(h) for h in range(result.effect.shape[1])], self.tr("head")
        labels = []
        for a, b in zip(result.clean.ids, result.corrupted.ids, strict=True):
            clean, corrupted = self.token_text(a), self.token_text(b)
            labels.append(clean if a == b else f"{clean}/{corrupted}")
        return labels, self.tr("token (clean/corrupted where they differ)")

    def _summary(self, r: Patching) -> str:
        target = repr(self.token_text(r.target))
        if r.contrast is not None:
            measure = self.tr("logit {target} − logit {contrast}").format(
                target=target, contrast=repr(self.token_text(r.contrast))
            )
        else:
            measure = self.tr("log p {target}").format(target=target)
        return self.tr(
            "m = {measure}: clean {clean}, corrupted {corrupted}. Effect 1: the clean answer "
            "fully back. {runs} runs in {seconds} s. Click a cell to open its run."
        ).format(
            measure=measure,
            clean=f"{r.metric_clean:+.2f}",
            corrupted=f"{r.metric_corrupted:+.2f}",
            runs=r.runs,
            seconds=f"{r.seconds:.1f}",
        )
