"""How was this probability computed? A receipt for one candidate of the next-token
chart: the final hidden state, the final norm, the dot product with the token's row of
the output matrix (its logit), the temperature, the softmax and the filters, every
number printed, ending at the probability the chart shows."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from playground.engine.inspect.receipt import Receipt
from playground.ui.state.session import Session
from playground.ui.widgets.vector_strip import VectorStrip


class ReceiptDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("How was this probability computed?"))
        self.resize(760, 560)
        self.candidate = QComboBox()
        self.candidate.setToolTip(self.tr("The candidate whose probability is explained."))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.hidden = VectorStrip(
            self.tr("the final hidden state (the stream leaving the last layer)")
        )
        self.normed = VectorStrip(self.tr("after the final RMSNorm"))
        self.row = VectorStrip(self.tr("the token's row of the output matrix"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Candidate")))
        layout.addWidget(self.candidate)
        layout.addWidget(self.text, 1)
        for strip in (self.hidden, self.normed, self.row):
            layout.addWidget(strip)
        self.candidate.currentIndexChanged.connect(self._request)
        session.receipt.changed.connect(self.refresh)

    def explain(self, token_ids: list[int], chosen: int | None = None) -> None:
        """Offer `token_ids` (the chart's candidates) and explain `chosen` (default: the
        first)."""
        self.candidate.blockSignals(True)
        self.candidate.clear()
        for token in token_ids:
            self.candidate.addItem(repr(self.session.token_label(token)), token)
        self.candidate.setCurrentIndex(
            max(0, token_ids.index(chosen) if chosen in token_ids else 0)
        )
        self.candidate.blockSignals(False)
        self._request()

    @property
    def receipt(self) -> Receipt | None:
        return self.session.receipt.receipt

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.session.receipt.set_wanted(True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.session.receipt.set_wanted(False)

    def _request(self) -> None:
        token = self.candidate.currentData()
        self.session.receipt.explain(None if token is None else int(token))

    def refresh(self) -> None:
        view, analysis = self.session.receipt, self.session.analysis
        receipt = view.receipt
        if analysis is None or not analysis.ids or view.token is None:
            self.text.setPlainText(
                self.tr("Type a prompt first: there is no prediction to explain.")
            )
        elif view.error:
            self.text.setPlainText(view.error)
        elif receipt is None:
            self.text.setPlainText(self.tr("Computing…"))
        else:
            label = self.session.token_label(receipt.token)
            self.text.setPlainText("\n".join(receipt.lines(label)))
            self.hidden.show_values(receipt.final_hidden)
            self.normed.show_values(receipt.final_norm)
            self.row.show_values(receipt.output_row)
