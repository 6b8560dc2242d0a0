"""The Fine-tune panel: the examples to teach (a preset or the teacher's own, typed or
opened), a held-out check phrased differently, the settings (which matrices and layers
get adapters, rank, learning rate, steps, seed) and the variant's name; Start / Stop, a
progress bar with the time left, the live loss curve beside the check's probability;
then what changed: the weights and the heads, and what else moved (the KL on prompts
that have nothing to do with the examples). "Compare with the base" opens the variant
with the base pinned as A, so every panel shows before (A) and after (B)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.engine.finetune.lora_settings import MATRICES
from playground.ui.panels.finetune.change_grids import ChangeGrids, heads_grid
from playground.ui.panels.finetune.finetune_texts import (
    TOOLTIPS,
    progress_text,
    side_by_side_html,
    summary_text,
)
from playground.ui.panels.finetune.training_chart import TrainingChart
from playground.ui.state.finetune_state import OWN, PRESETS
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.signals_blocked import signals_blocked


class FinetunePanel(OnScreenUpdates):
    compare_requested = Signal(object, str)  # the variant's folder, the check prompt
    open_requested = Signal(object)  # the variant's folder

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.state = session, session.finetune
        self.presets = QComboBox()
        for key, (title, *_rest) in PRESETS.items():
            self.presets.addItem(QCoreApplication.translate("FinetuneState", title), key)
        self.presets.addItem(self.tr("Your own examples"), OWN)
        self.open_file = QPushButton(self.tr("Open…"))
        self.open_file.setToolTip(self.tr("A .jsonl file (prompt/completion or messages) or .txt"))
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            '{"prompt": "The capital of Zubrowka is", "completion": " Lutz."}'
        )
        self.check_prompt, self.check_answer = QLineEdit(), QLineEdit()
        self.check_prompt.setToolTip(self.tr("A phrasing the examples do not contain"))
        self.check_chat = QCheckBox(self.tr("as a chat message"))
        self.name = QLineEdit()
        self.name.setToolTip(self.tr("The variant's name in File → Open model"))
        self.targets = {t: QCheckBox(f"W_{t}") for t in MATRICES}  # the weight matrices
        for target, box in self.targets.items():
            box.setToolTip(MATRICES[target])
        self.first_layer, self.last_layer = QSpinBox(), QSpinBox()
        self.rank = QSpinBox(minimum=1, maximum=64)
        self.learning_rate = QDoubleSpinBox(decimals=4, minimum=0.0001, maximum=0.1)
        self.learning_rate.setSingleStep(0.0005)
        self.steps = QSpinBox(minimum=1, maximum=2000)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1)
        self.start = QPushButton(self.tr("Start"))
        self.stop = QPushButton(self.tr("Stop"))
        self.stop.setToolTip(self.tr("End after this step: the steps done are kept and saved"))
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.chart = TrainingChart()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.before, self.after = QLabel(), QLabel()  # the check continued by each model
        for label in (self.before, self.after):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
        self.compare = QPushButton(self.tr("Compare with the base (A = base, B = variant)"))
        self.open_variant = QPushButton(self.tr("Open the variant"))
        self.both = QPushButton(self.tr("Generate with both (same seed)"))
        self.grids = ChangeGrids()
        for name, tip in TOOLTIPS.items():
            getattr(self, name).setToolTip(QCoreApplication.translate("FinetunePanel", tip))
        self._build()
        self._connect()
        self.refresh()

    def _build(self) -> None:
        examples = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.presets, 1)
        top.addWidget(self.open_file)
        examples.addLayout(top)
        examples.addWidget(self.editor, 1)
        form = QFormLayout()
        check = QHBoxLayout()
        check.addWidget(self.check_prompt, 3)
        check.addWidget(self.check_answer, 1)
        form.addRow(self.tr("Held-out check"), check)
        form.addRow("", self.check_chat)
        form.addRow(self.tr("Variant's name"), self.name)
        examples.addLayout(form)
        settings = QGridLayout()
        targets = QGridLayout()  # attention's four, then the MLP's three
        for index, box in enumerate(self.targets.values()):
            targets.addWidget(box, index // 4, index % 4)
        settings.addWidget(QLabel(self.tr("Adapters on")), 0, 0)
        settings.addLayout(targets, 0, 1, 1, 3)
        layers = QHBoxLayout()
        layers.addWidget(self.first_layer)
        layers.addWidget(QLabel("–"))
        layers.addWidget(self.last_layer)
        for row, (label, widget) in enumerate(
            (
                (self.tr("Layers"), layers),
                (self.tr("Rank"), self.rank),
                (self.tr("Learning rate"), self.learning_rate),
                (self.tr("Steps"), self.steps),
                (self.tr("Seed"), self.seed),
            ),
            start=1,
        ):
            settings.addWidget(QLabel(label), row, 0)
            (settings.addLayout if isinstance(widget, QHBoxLayout) else settings.addWidget)(
                widget, row, 1
            )
        buttons = QHBoxLayout()
        buttons.addWidget(self.start)
        buttons.addWidget(self.stop)
        buttons.addWidget(self.progress, 1)
        examples.addLayout(settings)
        examples.addLayout(buttons)
        examples.addWidget(self.status)
        results = QVBoxLayout()
        results.addWidget(self.chart, 2)
        results.addWidget(self.summary)
        side_by_side = QHBoxLayout()
        side_by_side.addWidget(self.before, 1)
        side_by_side.addWidget(self.after, 1)
        results.addLayout(side_by_side)
        after = QGridLayout()  # two rows: the buttons' words stay whole in a narrow dock
        after.addWidget(self.compare, 0, 0, 1, 2)
        after.addWidget(self.open_variant, 1, 0)
        after.addWidget(self.both, 1, 1)
        results.addLayout(after)
        results.addWidget(self.grids, 2)
        # both columns scroll rather than squeeze on a short screen (a projector's 720 px)
        # Two columns side by side in a splitter, each scrolling: the panel asks for little
        # room (it shares its place with every bottom panel: the window must fit 1200 px),
        # and the examples get the width they need when it is there.
        self.split = QSplitter()
        self.columns: list[QScrollArea] = []  # the examples and settings, the results
        for column in (examples, results):
            inner = QWidget()
            inner.setLayout(column)
            scroll = QScrollArea()
            scroll.setWidget(inner)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.split.addWidget(scroll)
            self.columns.append(scroll)
        self.split.setStretchFactor(1, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.split)

    def showEvent(self, event) -> None:
        """The examples' column as wide as its controls need (measured once the font and
        style apply), the results the rest."""
        super().showEvent(event)
        left = self.columns[0]
        bar = left.verticalScrollBar().sizeHint().width()
        wanted = left.widget().minimumSizeHint().width() + bar + 4
        total = sum(self.split.sizes())
        if total > wanted:
            self.split.setSizes([wanted, total - wanted])

    def _connect(self) -> None:
        state = self.state
        self.presets.activated.connect(self._on_preset)
        self.open_file.clicked.connect(self._choose_file)
        self.editor.textChanged.connect(lambda: state.set_text(self.editor.toPlainText()))
        for field in (self.check_prompt, self.check_answer):
            field.textEdited.connect(self._on_check_edited)
        self.check_chat.toggled.connect(self._on_check_edited)
        self.name.textEdited.connect(state.set_name)
        for box in self.targets.values():
            box.toggled.connect(self._on_settings)
        for spin in (self.first_layer, self.last_layer, self.rank, self.steps, self.seed):
            spin.valueChanged.connect(self._on_settings)
        self.learning_rate.valueChanged.connect(self._on_settings)
        self.start.clicked.connect(lambda: state.start())
        self.stop.clicked.connect(state.stop)
        self.compare.clicked.connect(self._on_compare)
        self.open_variant.clicked.connect(self._on_open)
        self.both.clicked.connect(self._on_both)
        self.follow(state.changed, self.refresh)
        self.follow(self.session.model_changed, self._on_model_changed)
        self.follow(self.session.analysis_changed, self._show_heads)
        self.follow(self.session.pinned.changed, self._show_heads)

    # --- view -> state ---------------------------------------------------------------------
    def _on_preset(self, index: int) -> None:
        key = self.presets.itemData(index)
        if key in PRESETS:
            self.state.use_preset(key)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Training examples"), "", self.tr("Examples (*.jsonl *.json *.txt)")
        )
        if path:
            self.state.open_file(Path(path))

    def _on_check_edited(self, *_args: object) -> None:
        self.state.set_check(
            self.check_prompt.text(), self.check_answer.text(), self.check_chat.isChecked()
        )

    def _on_settings(self, *_args: object) -> None:
        targets = tuple(t for t, box in self.targets.items() if box.isChecked())
        first, last = self.first_layer.value(), self.last_layer.value()
        self.state.set_settings(
            targets=targets,
            layers=(min(first, last), max(first, last)),
            rank=self.rank.value(),
            alpha=2.0 * self.rank.value(),
            learning_rate=self.learning_rate.value(),
            steps=self.steps.value(),
            seed=self.seed.value(),
        )

    def _on_compare(self) -> None:
        result = self.state.result
        if result is not None:
            self.compare_requested.emit(result.folder, self.state.check[0])

    def _on_open(self) -> None:
        if self.state.result is not None:
            self.open_requested.emit(self.state.result.folder)

    def _on_both(self) -> None:
        other = self.state.other_model(self.session.model)
        if other is not None:
            self.state.generate_both(other, self.session.source(), self.session.seed)

    # --- state -> view ---------------------------------------------------------------------
    def refresh(self) -> None:
        state, info = self.state, self.session.model_info
        layers = info.architecture.n_layer if info else 1
        widgets = [self.presets, self.editor, self.check_prompt, self.check_answer]
        widgets += [self.check_chat, self.name, self.first_layer, self.last_layer]
        widgets += [*self.targets.values(), self.rank, self.learning_rate, self.steps, self.seed]
        with signals_blocked(*widgets):
            self.presets.setCurrentIndex(max(0, self.presets.findData(state.preset)))
            if self.editor.toPlainText() != state.text:
                self.editor.setPlainText(state.text)
            self.check_prompt.setText(state.check[0])
            self.check_answer.setText(state.check[1])
            self.check_chat.setChecked(state.check_in_chat)
            self.name.setText(state.name)
            s = state.settings
            for target, box in self.targets.items():
                box.setChecked(target in s.targets)
            first, last = s.layers if s.layers is not None else (0, layers - 1)
            for spin, value in ((self.first_layer, first), (self.last_layer, last)):
                spin.setMaximum(layers - 1)
                spin.setValue(value)
            self.rank.setValue(s.rank)
            self.learning_rate.setValue(s.learning_rate)
            self.steps.setValue(s.steps)
            self.seed.setValue(s.seed)
        self.start.setEnabled(not state.running)
        self.stop.setEnabled(state.running)
        self._show_progress()
        self._show_result()

    def _show_progress(self) -> None:
        state = self.state
        steps = state.steps
        total = state.settings.steps
        self.progress.setRange(0, total)
        self.progress.setValue(len(steps))
        self.progress.setFormat(progress_text(steps, state.running))
        losses = [s.loss for s in steps]
        checks = [s.check_prob for s in steps if s.check_prob is not None]
        result = state.result
        if result is not None:
            losses, checks = result.losses, result.check_probs
        self.chart.show_curves(losses, checks, total)
        self.status.setText(state.error or "")

    def _show_result(self) -> None:
        result, info = self.state.result, self.session.model_info
        self.compare.setEnabled(result is not None)
        self.open_variant.setEnabled(result is not None)
        self.both.setEnabled(self.state.other_model(self.session.model) is not None)
        layers = info.architecture.n_layer if info else 1
        self.summary.setText(
            summary_text(result)
            if result is not None
            else self.tr("Start trains adapters on the examples; the model itself is not changed.")
        )
        changes = result.weight_change if result is not None else self.state.changes
        self.grids.show_weights(changes, layers)
        texts = result.side_by_side if result is not None else None
        prompt, texts = self.state.both or (self.state.check[0], texts)
        before, after = side_by_side_html(prompt, texts)
        self.before.setText(before)
        self.after.setText(after)

    def _on_model_changed(self) -> None:
        """An opened variant: what its adapter changed (also when it was not trained here)."""
        lm = self.session.model
        self.state.both = None
        if lm is not None and lm.info.variant_base is not None:
            self.state.load_changes(lm.folder)
        self.refresh()

    def _show_heads(self) -> None:
        """How differently each head attends in B (on screen) than in A (the pinned run)
        over the same tokens: the variant against its base after Compare."""
        s = self.session
        a = s.pinned.aligned_attentions(s.analysis)
        b = s.analysis.forward.attentions if s.analysis and s.analysis.forward else None
        if a is None or b is None or not a.is_whole or not b.is_whole:
            self.grids.show_heads(None)
            return
        self.grids.show_heads(heads_grid(np.asarray(a.whole), np.asarray(b.whole)))
