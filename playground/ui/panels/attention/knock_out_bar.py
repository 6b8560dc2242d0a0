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
        self.clear.clicked.connect(session.knock_outs.clear)
        session.knock_outs.changed.connect(self.show_knock_out)
        session.model_changed.connect(self.show_knock_out)
        session.pinned.changed.connect(self.show_knock_out)
        self.show_knock_out()

    def _apply_typed(self) -> None:
        info = self.session.model_info
        if info is None:
            return
        knock_outs = self.session.knock_outs
        try:
            parsed = KnockOut.parse(self.parts.text(), info.architecture)
        except PlaygroundError as error:
            self.status.setText(str(error))
            self.status.show()
            return
        knock_outs.set(KnockOut(parsed.heads, parsed.mlps, knock_outs.knock_out.ablation))
        self.show_knock_out()

    def _apply_ablation(self, index: int) -> None:
        self.session.knock_outs.set_ablation(ABLATIONS[index][0])  # type: ignore[arg-type]

    def show_knock_out(self) -> None:
        knock_out = self.session.knock_outs.knock_out
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
            self.tr("Off in every run: {parts}.{hint}").format(parts=knock_out.explain(), hint=hint)
        )
