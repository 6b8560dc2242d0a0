"""Save and open a session (`.llmplay`, JSON): the prompt, the model it was made with
(name and checksum), the sampler, the seed and every generation branch (with each
sampler's exact random state, so continuing a branch later draws the same tokens), the
selected token, the interventions, the run pinned as A, every panel's settings (the
attention view, the compared words, inside a layer, attribution, sentences, search, the
causal lab) and the window layout. Format 2 added the panels' settings; format 1 files
still open. Steering and patches are part of the interventions (their vectors included)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication
from PySide6.QtWidgets import QMainWindow

from playground.engine.errors import PlaygroundError
from playground.engine.runtime.interventions import Interventions
from playground.ui.state.attention_view import AttentionView
from playground.ui.state.branches import Branch
from playground.ui.state.generation_options import GenerationOptions
from playground.ui.state.pinned_run import PinnedRun
from playground.ui.state.prompt import PromptState
from playground.ui.state.sampling import SamplingState
from playground.ui.state.selection import Selection
from playground.ui.state.session import Session

SESSION_FORMAT = 2
PATCHING_KEYS = ("clean", "corrupted", "site", "target", "contrast")
READABLE_FORMATS = (1, 2)  # format 1: before the panels' settings were kept
SESSION_SUFFIX = ".llmplay"


def save_session(session: Session, window: QMainWindow, path: Path) -> Path:
    path = Path(path)
    if path.suffix != SESSION_SUFFIX:
        path = path.with_name(path.name + SESSION_SUFFIX)
    try:
        path.write_text(json.dumps(session_document(session, window), indent=1), encoding="utf-8")
    except OSError as error:
        raise PlaygroundError(
            QCoreApplication.translate(
                "SessionFile", "{path}: could not save the session ({reason})."
            ).format(path=path, reason=error.strerror)
        ) from error
    return path


def session_document(s: Session, window: QMainWindow) -> dict[str, Any]:
    """Everything needed to put the window back: the state's fields and the dock layout."""
    info = s.model_info
    return {
        "format": SESSION_FORMAT,
        "app": "LLM Playground",
        "model": {"name": info.name, "title": info.title, "sha256": info.source_sha256}
        if info
        else None,
        **s.prompt_state.to_dict(),
        **s.sampling_state.to_dict(),
        **s.options.to_dict(),
        **s.selection.to_dict(),
        "attention_view": s.attention_view.to_dict(),
        **s.compared_words.to_dict(),
        **s.pinned.to_dict(),
        **s.interventions.value.to_dict(),
        "panels": {
            "inside_layer": s.layer_trace.to_dict(),
            "attribution": s.attribution.to_dict(),
            "sentences": s.sentences.to_dict(),
            "search": s.search.to_dict(),
            "patching": s.causal.patching.to_dict(),
            "steering": s.causal.steering.to_dict(),
            "routes": {"threshold": s.causal.routes.threshold},
        },
        "branches": [b.to_dict() for b in s.branches],
        "branch_index": s.branch_index,
        "window_state": base64.b64encode(bytes(window.saveState(1).data())).decode("ascii"),
    }


def read_session(path: Path) -> dict[str, Any]:
    """The saved document; raise PlaygroundError naming the file if it is not one."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PlaygroundError(
            QCoreApplication.translate(
                "SessionFile", "{name}: not a readable session file ({reason})."
            ).format(name=path.name, reason=error)
        ) from error
    if not isinstance(document, dict) or document.get("format") not in READABLE_FORMATS:
        raise PlaygroundError(
            QCoreApplication.translate(
                "SessionFile", "{name}: not an LLM Playground session (format 1 or 2)."
            ).format(name=path.name)
        )
    return document


def restore_session(s: Session, window: QMainWindow, document: dict[str, Any]) -> list[str]:
    """Put the window in the saved state; return notes about what could not be restored.
    Raise PlaygroundError (changing nothing) if the document is damaged."""
    try:
        plan = _Plan(document)
    except (KeyError, TypeError, ValueError) as error:
        raise PlaygroundError(
            QCoreApplication.translate(
                "SessionFile", "The session file is damaged ({reason})."
            ).format(reason=repr(error))
        ) from error
    notes: list[str] = []
    info = s.model_info
    same_model = bool(plan.model and info and plan.model.get("sha256") == info.source_sha256)
    arch = info.architecture if info is not None and same_model else None  # its layers, heads
    interventions = Interventions.parse(document, arch)  # (damaged: raises, nothing changed)
    a = plan.pinned
    a_interventions = Interventions.parse(a.interventions, arch) if a is not None else None
    if plan.model and not same_model:
        title = info.title if info else QCoreApplication.translate("SessionFile", "no model")
        notes.append(
            QCoreApplication.translate(
                "SessionFile",
                "The session was made with {saved}, not {title}: its prompt and settings are "
                "restored, its generated branches are not (token ids differ).",
            ).format(saved=plan.model.get("title"), title=title)
        )
    s.abandon_generation()
    s.set_chat_mode(plan.chat_mode)
    s.set_sampling(plan.sampling)
    s.set_top_n(plan.top_n)
    s.set_seed(plan.seed)
    s.set_max_new_tokens(plan.max_new_tokens)
    s.set_attention_view(plan.attention_view)
    s.compared_words.set_words(*plan.compare)
    s.pinned.clear()
    if interventions.patches:  # they belong to the saved prompt's tokens: kept with it
        s.causal.patching.keep_patches_for(plan.prompt)
    s.interventions.set(interventions)
    if a is not None and a_interventions is not None and same_model:  # A computed again
        s.pin_again(a, a_interventions)
    views = {"inside_layer": s.layer_trace, "attribution": s.attribution}
    views |= {"sentences": s.sentences, "search": s.search}
    views |= {"patching": s.causal.patching, "steering": s.causal.steering}
    for name, settings in plan.panels.items():  # (format 1 has none: the panels stay)
        if name == "routes":
            s.causal.routes.set_threshold(settings["threshold"])
        elif name != "attribution" or same_model:  # (its target is a token id of the model)
            views[name].restore(settings)
    if plan.window_state:
        window.restoreState(QByteArray(plan.window_state), 1)
    s.generation.restore_branches(plan.branches if same_model else [])
    s.select_after_analysis(plan.selected_token)
    if same_model and plan.branch_index is not None and plan.branch_index < len(s.branches):
        s.switch_branch(plan.branch_index)
    else:
        s.set_prompt(plan.prompt, immediate=True)
    return notes


class _Plan:
    """A saved document, checked and converted before anything in the window changes."""

    def __init__(self, d: dict[str, Any]) -> None:
        self.model = d.get("model")
        self.prompt, self.chat_mode = PromptState.checked(d)
        self.sampling, self.top_n = SamplingState.checked(d)
        self.seed, self.max_new_tokens = GenerationOptions.checked(d)
        self.selected_token = Selection.checked(d)
        self.attention_view = AttentionView.from_dict(d["attention_view"])
        self.compare = [str(w) for w in d.get("compare", ["king", "queen"])][:2]
        self.pinned = PinnedRun.checked(d)
        self.branches = [Branch.from_dict(b) for b in d.get("branches", [])]
        index = d.get("branch_index")
        self.branch_index = None if index is None else int(index)
        state = d.get("window_state")
        self.window_state = base64.b64decode(state) if state else b""
        self.panels = _checked_panels(d.get("panels", {}))


def _checked_panels(panels: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The panels' settings with every value of the type its view reads (TypeError or
    ValueError if one is not), so that restoring them cannot fail half way."""

    def of(name: str) -> dict[str, Any]:
        value = panels.get(name, {})
        if not isinstance(value, dict):
            raise TypeError(f"the {name} panel's settings are not a mapping")
        return value

    inside, attribution, sentences, search = (
        of(name) for name in ("inside_layer", "attribution", "sentences", "search")
    )
    patching, steering, routes = (of(name) for name in ("patching", "steering", "routes"))
    target, folder = attribution.get("target"), search.get("folder")
    lines, pair = sentences.get("lines", []), sentences.get("pair", [0, 1])
    if not isinstance(lines, list) or not isinstance(pair, list) or len(pair) != 2:
        raise TypeError("the sentences panel's lines or pair are damaged")
    checked = {
        "inside_layer": {key: int(inside.get(key, 0)) for key in ("layer", "head", "step")}
        | {"all_steps": bool(inside.get("all_steps", False))},
        "attribution": {
            "unit": str(attribution.get("unit", "word")),
            "target": None if target is None else int(target),
        },
        "sentences": {"lines": [str(line) for line in lines], "pair": [int(v) for v in pair]}
        | ({"preset": str(sentences["preset"])} if "preset" in sentences else {}),
        "search": {
            "folder": None if folder is None else str(folder),
            "query": str(search.get("query", "")),
            "question": str(search.get("question", "")),
            "top": int(search.get("top", 3)),
        },
        "patching": {k: str(v) for k, v in patching.items() if k in PATCHING_KEYS},
        "steering": {k: str(v) for k, v in steering.items() if k in ("toward", "away")}
        | {"layer": int(steering.get("layer", 6))},
        "routes": {"threshold": min(max(float(routes.get("threshold", 0.04)), 0.0), 1.0)},
    }
    return {name: value for name, value in checked.items() if name in panels}
