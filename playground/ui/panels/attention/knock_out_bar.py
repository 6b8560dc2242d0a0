"""The knock-out controls under the attention overview: the parts switched off, typed
("13.8,5.attn,20.mlp") or right-clicked on the overview's tiles, what a knocked-out head
writes (zero, or its mean output over the prompt), and one button to switch all back on."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.engine.runtime.knock_out import KnockOut
from playground.ui.state.session import Session
from playground.ui.widgets.signals_blocked import signals_blocked

ABLATIONS = [
    ("zero", QT_TRANSLATE_NOOP("KnockOutBar", "write zero")),
    ("mean", QT_TRANSLATE_NOOP("KnockOutBar", "write their mean output")),
]


class KnockOutBar(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.parts = QLineEdit()
        self.parts.setPlaceholderText(self.tr("Knock out: e.g. 23.4, 5.attn, 20.mlp"))
        self.parts.setToolTip(
            self.tr(
                "Parts switched off in every run: LAYER.HEAD, LAYER.attn (all of a layer's "
                "heads) or LAYER.mlp, separated by commas; Enter applies. Right-clicking a "
                "tile of the overview switches that head off or on."
            )
        )
        self.ablation = QComboBox()
        for _, label in ABLATIONS:
            self.ablation.addItem(QCoreApplication.translate("KnockOutBar", label))
        self.ablation.setToolTip(
            self.tr(
                "Zero: the head's weighted sum of values is replaced by zeros. Mean: by its "
                "average over the prompt's tokens, so the head still adds what it always adds "
                "but no longer tells one token from another."
            )
        )
        self.clear = QPushButton(self.tr("Switch all on"))
        self.clear.setToolTip(self.tr("Undo every knock-out."))
        self.status = QLabel()  # what is off, or why the typed text was refused
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #d1205f;")
        self.status.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Knocked-out heads")))
        row.addWidget(self.ablation, 1)
        row.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.parts)
        layout.addLayout(row)
        layout.addWidget(self.status)

        self.parts.editingFinished.connect(self._apply_typed)
        self.ablation.currentIndexChanged.connect(self._apply_ablation)
        self.clear.clicked.connect(session.interventions.clear)
        session.interventions.changed.connect(self.show_knock_out)
        session.model_changed.connect(self.show_knock_out)
        session.pinned.changed.connect(self.show_knock_out)
        self.show_knock_out()

    def _apply_typed(self) -> None:
        info = self.session.model_info
        if info is None:
            return
        try:
            parsed = KnockOut.parse(self.parts.text(), info.architecture)
        except PlaygroundError as error:
            self.status.setText(str(error))
            self.status.show()
            return
        self.session.interventions.set_knocked_out(parsed)
        self.show_knock_out()

    def _apply_ablation(self, index: int) -> None:
        self.session.interventions.set_ablation(ABLATIONS[index][0])  # type: ignore[arg-type]

    def show_knock_out(self) -> None:
        knock_out = self.session.interventions.knock_out
        if not self.parts.hasFocus():
            self.parts.setText(knock_out.describe().replace(",", ", "))
        index = [name for name, _ in ABLATIONS].index(knock_out.ablation)
        with signals_blocked(self.ablation):
            self.ablation.setCurrentIndex(index)
        self.clear.setEnabled(not knock_out.empty)
        self.status.setVisible(not knock_out.empty)
        hint = (
            ""
            if self.session.pinned.pinned
            else self.tr(" Pin a run as A (next-token panel) to compare.")
        )
        self.status.setText(
            self.tr("Off in every run: {parts}.{hint}").format(
                parts=self.explained(knock_out), hint=hint
            )
        )

    def explained(self, knock_out: KnockOut) -> str:
        """The parts off, and what a knocked-out head writes, in the interface's language."""
        parts = knock_out.describe().replace(",", ", ")
        if not knock_out.heads:
            return parts
        writes = (
            self.tr("its mean output over the prompt")
            if knock_out.ablation == "mean"
            else self.tr("zero")
        )
        return self.tr("{parts} (a knocked-out head writes {writes})").format(
            parts=parts, writes=writes
        )
