"""Generation panel: the predict -> sample -> append loop, driven by hand.

Step adds one token, Generate streams up to N, Stop ends it. Each generated token is
coloured by the probability it had when it was chosen; click one to pick another
candidate and continue from there as a new branch (the old branch is kept). Chat mode
wraps the prompt in the model's chat template: a chat is next-token prediction too.
"""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.ui.state.session import Session
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.signals_blocked import signals_blocked
from playground.ui.widgets.token_chips import TokenChips

PROMPT_FILL, PROMPT_INK = QColor("#eceef3"), QColor("#5c6070")


def probability_color(prob: float) -> QColor:
    """Red (unlikely) -> amber -> green (likely)."""
    hue = 120.0 * max(0.0, min(1.0, prob)) ** 0.5  # sqrt: low probabilities stand apart
    return QColor.fromHslF(hue / 360.0, 0.65, 0.72)


class GeneratedText(TokenChips):
    """The current branch: its prompt tokens plain, generated tokens by probability."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def base_length(self) -> int:
        branch = self.session.current_branch
        analysis = self.session.analysis
        if branch is None or analysis is None or analysis.ids[: len(branch.ids)] != branch.ids:
            return analysis.n_tokens if analysis is not None else 0
        return len(branch.base_ids)

    def generated_index(self, index: int) -> int | None:
        """Which generated token of the current branch chip `index` is (None: prompt)."""
        branch = self.session.current_branch
        position = index - self.base_length()
        if branch is None or not 0 <= position < len(branch.tokens):
            return None
        return position

    def custom_style(self, index: int) -> tuple[QColor, QColor, str] | None:
        position = self.generated_index(index)
        if position is None:
            return PROMPT_FILL, PROMPT_INK, self.tr("prompt")
        token = self.session.current_branch.tokens[position]  # type: ignore[union-attr]
        return probability_color(token.model_prob), QColor("#1d1f2b"), f"{token.model_prob:.0%}"

    def tooltip(self, index: int) -> str:
        position = self.generated_index(index)
        if position is None:
            return super().tooltip(index) + "\n" + self.tr("(part of the prompt)")
        token = self.session.current_branch.tokens[position]  # type: ignore[union-attr]
        label = self.session.token_label(token.token_id)
        lines = [
            self.tr("generated token {n}: {token} (id {id})").format(
                n=position + 1, token=repr(label), id=token.token_id
            ),
            self.tr(
                "the model gave it {model_p} (rank {rank}); after temperature and filters: {p}"
            ).format(model_p=f"{token.model_prob:.1%}", rank=token.rank + 1, p=f"{token.prob:.1%}"),
            self.tr("the top candidates at that moment (model probability):"),
        ]
        pairs = zip(token.alternatives, token.alternative_model_probs, strict=True)
        for c, model_prob in pairs:
            mark = "→" if c.token_id == token.token_id else " "
            lines.append(f" {mark} {self.session.token_label(c.token_id)!r}  {model_prob:.1%}")
        lines.append(self.tr("click to continue from another candidate (a new branch)"))
        return "\n".join(lines)


CHAT_TOOLTIP = QT_TRANSLATE_NOOP(
    "GenerationPanel",
    "Treat the prompt as a user message wrapped in the model's chat template; the "
    "Tokenization panel shows exactly what the model receives.",
)


class GenerationPanel(OnScreenUpdates):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.step_button = QPushButton(self.tr("Step"))
        self.step_button.setToolTip(self.tr("Predict, sample and append one token (Ctrl+Right)."))
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.setToolTip(
            self.tr("Repeat the loop until an end-of-text token or the limit (Ctrl+Return).")
        )
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop generating (Escape)."))
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, 2000)
        self.max_tokens.setPrefix(self.tr("up to "))
        self.max_tokens.setSuffix(self.tr(" tokens"))
        self.max_tokens.setToolTip(self.tr("Generate stops after this many new tokens at most."))
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setPrefix(self.tr("seed "))
        self.seed.setToolTip(
            self.tr("The random seed of the sampler: the same seed repeats a run.")
        )
        self.new_seed = QPushButton(self.tr("New seed"))
        self.new_seed.setToolTip(
            self.tr("Pick a random seed: the next run draws different tokens.")
        )
        self.chat = QCheckBox(self.tr("Chat mode"))
        self.chat.setToolTip(QCoreApplication.translate("GenerationPanel", CHAT_TOOLTIP))
        controls = FlowLayout()  # on two lines in a narrow dock
        for widget in (
            self.step_button,
            self.generate_button,
            self.stop_button,
            self.max_tokens,
            self.seed,
            self.new_seed,
            self.chat,
        ):
            controls.addWidget(widget)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.text = GeneratedText(session)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.text)
        self.branch_list = QListWidget()
        self.branch_list.setToolTip(self.tr("Every branch is kept: click one to switch to it."))
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(self.branch_list)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        legend = QLabel(
            self.tr(
                "Colour = the probability the model gave a token when it was chosen (green "
                "likely, red unlikely). Hover for its rank and the alternatives; click to branch."
            )
        )
        legend.setWordWrap(True)
        legend.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addWidget(legend)

        self.step_button.clicked.connect(session.step)
        self.generate_button.clicked.connect(lambda: session.generate())
        self.stop_button.clicked.connect(session.stop_generation)
        self.max_tokens.valueChanged.connect(session.set_max_new_tokens)
        self.seed.valueChanged.connect(session.set_seed)
        self.new_seed.clicked.connect(lambda: session.set_seed(random.randrange(2**31)))
        self.chat.toggled.connect(session.set_chat_mode)
        self.branch_list.currentRowChanged.connect(self._on_branch_chosen)
        self.text.clicked.connect(self._on_token_clicked)
        self.text.hovered.connect(session.select_token)
        # (Their keyboard shortcuts live in the window's Generate menu.)
        session.generation_changed.connect(self.refresh)
        session.model_changed.connect(self.refresh)
        self.follow(session.analysis_changed, self._on_analysis_changed)
        session.status_changed.connect(self._update_buttons)
        session.selection_changed.connect(lambda: self.text.set_selected(session.selected_token))
        self.refresh()

    # --- Session -> view ----------------------------------------------------------------------
    def refresh(self) -> None:
        s = self.session
        for widget, value in ((self.max_tokens, s.max_new_tokens), (self.seed, s.seed)):
            with signals_blocked(widget):
                widget.setValue(value)
        with signals_blocked(self.chat):
            self.chat.setChecked(s.chat_mode)
        self.status.setText(s.generation_status)
        with signals_blocked(self.branch_list):
            self.branch_list.clear()
            for i, branch in enumerate(s.branches):
                self.branch_list.addItem(branch.describe(i))
            if s.branch_index is not None:
                self.branch_list.setCurrentRow(s.branch_index)
        self._update_buttons()
        self.text.update()

    def _on_analysis_changed(self) -> None:
        self.text.set_analysis(self.session.analysis)
        self.text.set_selected(self.session.selected_token)

    def _update_buttons(self) -> None:
        s = self.session
        idle = not s.generating and s.model_info is not None
        self.step_button.setEnabled(idle)
        self.generate_button.setEnabled(idle)
        self.stop_button.setEnabled(s.generating)
        self.chat.setEnabled(not s.generating and s.chat_available)
        if not s.chat_available and s.model_info is not None:
            self.chat.setToolTip(
                self.tr(
                    "{model} has no chat template (it is not a chat model), so chat mode is "
                    "off: its prompts are plain text."
                ).format(model=s.model_info.title)
            )
        else:
            self.chat.setToolTip(QCoreApplication.translate("GenerationPanel", CHAT_TOOLTIP))

    # --- view -> Session ----------------------------------------------------------------------
    def _on_branch_chosen(self, row: int) -> None:
        if row >= 0 and row != self.session.branch_index:
            self.session.switch_branch(row)

    def alternatives_menu(self, index: int) -> QMenu | None:
        """The menu a click on generated token `index` opens: its other candidates."""
        position = self.text.generated_index(index)
        branch_index = self.session.branch_index
        if position is None or branch_index is None or self.session.generating:
            return None
        token = self.session.branches[branch_index].tokens[position]
        menu = QMenu(self)
        menu.addSection(self.tr("Continue from token {n} with…").format(n=position + 1))
        for c, model_prob in zip(token.alternatives, token.alternative_model_probs, strict=True):
            action = menu.addAction(f"{self.session.token_label(c.token_id)!r}   {model_prob:.1%}")
            action.setEnabled(c.token_id != token.token_id)
            action.triggered.connect(
                lambda _=False, t=c.token_id: self.session.branch_from(branch_index, position, t)
            )
        return menu

    def _on_token_clicked(self, index: int) -> None:
        self.session.select_token(index)
        menu = self.alternatives_menu(index)
        if menu is not None:
            rect = self.text.chip_rect(index)
            menu.popup(self.text.mapToGlobal(QPoint(int(rect.left()), int(rect.bottom()))))

    def export_rows(self) -> list[dict[str, Any]]:
        """Every generated token of every branch."""
        _, lm = self.session.exportable()
        return [
            {
                "branch": b + 1,
                "position": k + 1,
                "id": t.token_id,
                "token": lm.piece(t.token_id).display,
                "probability_when_chosen": t.prob,
                "model_probability": t.model_prob,
                "rank": t.rank + 1,
                "seed": branch.seed,
            }
            for b, branch in enumerate(self.session.branches)
            for k, t in enumerate(branch.tokens)
        ]
