"""The status line (model, tokens analysed, forward time, the latest problem) and the
note under the prompt saying what changed on the way to the model."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar

from playground.engine.prompt.model_input import ANALYSIS_TOKEN_LIMIT, NOTICE_TEXTS
from playground.ui.state.session import Session


class StatusLine:
    def __init__(self, session: Session, bar: QStatusBar) -> None:
        self.session = session
        self.settings_problem: str | None = None  # shown while there is no newer error
        self.hides_token_count: Callable[[], bool] = lambda: False  # a quiz asks for it
        self.model, self.tokens, self.timing, self.error = QLabel(), QLabel(), QLabel(), QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.added = QLabel()  # steering and patches of the run on screen, if any
        self.added.setStyleSheet("color: #b35900;")
        for widget in (self.model, self.tokens, self.timing, self.added):
            bar.addWidget(widget)
        bar.addWidget(self.error, 1)
        self.prompt_notice = QLabel()  # what was changed on the way to the model, if anything
        self.prompt_notice.setWordWrap(True)
        self.prompt_notice.setStyleSheet("color: #9a6700;")
        self.prompt_notice.hide()
        session.status_changed.connect(self.update)
        session.analysis_changed.connect(self.update)

    def update(self) -> None:
        s = self.session
        self.error.setText(s.error or self.settings_problem or "")
        info = s.model_info
        if info is None:
            return
        model = (
            QCoreApplication.translate(
                "StatusLine", "Model: {title} (analysed on its quantized matrices)"
            )
            if info.analysis_on_blocks
            else QCoreApplication.translate("StatusLine", "Model: {title}")
        )
        self.model.setText(model.format(title=info.title))
        self.model.setToolTip(
            QCoreApplication.translate(
                "StatusLine",
                "A big model: prompts are analysed on the GGUF's own blocks, as generated "
                "tokens are; numbers are within about 1e-2 of fp32 (convert it with "
                "--analysis-in-fp32 for exact ones).",
            )
            if info.analysis_on_blocks
            else ""
        )
        n = s.analysis.n_tokens if s.analysis else 0
        dropped = s.analysis.dropped_tokens if s.analysis else 0
        limit = min(ANALYSIS_TOKEN_LIMIT, info.architecture.context_length)
        if self.hides_token_count():  # the class is counting a word of the prompt
            self.tokens.setText(
                QCoreApplication.translate("StatusLine", "? tokens (hidden until Reveal)")
            )
        elif dropped:
            self.tokens.setText(
                QCoreApplication.translate(
                    "StatusLine", "{n} of {total} tokens analysed (limit {limit})"
                ).format(n=f"{n:,}", total=f"{n + dropped:,}", limit=f"{limit:,}")
            )
        else:
            self.tokens.setText(
                QCoreApplication.translate("StatusLine", "{n} / {limit} tokens").format(
                    n=f"{n:,}", limit=f"{limit:,}"
                )
            )
        self.tokens.setToolTip(
            QCoreApplication.translate(
                "StatusLine",
                "The window analyses up to {limit} tokens: every attention map of a longer "
                "prompt would need gigabytes. The model's own context is {context} tokens.",
            ).format(limit=f"{limit:,}", context=f"{info.architecture.context_length:,}")
        )
        if s.busy:
            self.timing.setText(QCoreApplication.translate("StatusLine", "analysing…"))
        elif s.analysis is not None and s.analysis.forward is not None:
            ms = f"{s.analysis.forward.seconds * 1000:.0f}"
            timing = QCoreApplication.translate("StatusLine", "forward {ms} ms").format(ms=ms)
            if s.analysis.statistics_pending:  # a long prompt's follow (every layer's maps)
                timing += QCoreApplication.translate(
                    "StatusLine", " · computing every head's statistics…"
                )
            self.timing.setText(timing)
        else:
            self.timing.setText("")
        self.added.setText(added_text(s.analysis.run.interventions) if s.analysis else "")
        notices = s.analysis.notices if s.analysis is not None else ()
        note = QCoreApplication.translate("StatusLine", "Note: {notice}")
        self.prompt_notice.setText("\n".join(note.format(notice=said(n)) for n in notices))
        self.prompt_notice.setVisible(bool(notices))


def added_text(interventions) -> str:
    """What a run adds to the network (steering, patches), in a few words."""
    parts = []
    steering = interventions.steering
    if steering is not None:
        parts.append(
            QCoreApplication.translate(
                "StatusLine", "steered: {strength} at hidden {layer}"
            ).format(strength=f"{steering.strength:+.1f}", layer=steering.layer)
        )
    for patch in interventions.patches:
        where = f"{patch.layer}.{patch.head}" if patch.site == "head" else str(patch.layer)
        parts.append(
            QCoreApplication.translate("StatusLine", "patched: {site} {where}").format(
                site=patch.site, where=where
            )
        )
    return " · ".join(parts)


def said(notice: str) -> str:
    """An engine notice in the interface's language (its template translated, its fields
    filled in); a plain string as it is."""
    kind = getattr(notice, "kind", None)
    if kind not in NOTICE_TEXTS:
        return notice
    template = QCoreApplication.translate("Notice", NOTICE_TEXTS[kind])
    return template.format(**notice.fields)  # type: ignore[attr-defined]


NOTICES = (  # the templates, for the translation tools (NOTICE_TEXTS holds them too)
    QT_TRANSLATE_NOOP("Notice", "{count} invalid character (lone surrogates) replaced by U+FFFD."),
    QT_TRANSLATE_NOOP("Notice", "{count} invalid characters (lone surrogates) replaced by U+FFFD."),
    QT_TRANSLATE_NOOP(
        "Notice",
        "{tokens} typed in the prompt is read as plain text, not as a control token "
        "(switch on chat mode to use the model's chat template).",
    ),
    QT_TRANSLATE_NOOP(
        "Notice",
        "The prompt is {length} tokens long; only the last {limit} are analysed "
        "(the first {dropped} are left out). The text itself is kept.",
    ),
)
