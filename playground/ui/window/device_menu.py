"""View → Device: where the model runs. The CPU always; CUDA, DirectML or CoreML when the
installed ONNX Runtime build has them (the others are listed, greyed, saying why).
Choosing one opens the current model again on it."""

from __future__ import annotations

import os
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from playground.engine.runtime.devices import PROVIDERS, TITLES, available_devices
from playground.ui.state.session import Session


class DeviceOwner(Protocol):
    session: Session

    def open_model(self, source: object) -> None: ...


def add_device_menu(view_menu: QMenu, window: DeviceOwner) -> dict[str, QAction]:
    menu = view_menu.addMenu(QCoreApplication.translate("DeviceMenu", "&Device"))
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    available = available_devices()
    actions: dict[str, QAction] = {}
    for device in PROVIDERS:
        action = menu.addAction(TITLES[device])
        action.setCheckable(True)
        action.setEnabled(device in available)
        action.setToolTip(
            (
                QCoreApplication.translate("DeviceMenu", "Run the model on {device}")
                if device in available
                else QCoreApplication.translate(
                    "DeviceMenu", "Not in this ONNX Runtime build (install its {device} package)"
                )
            ).format(device=TITLES[device])
        )
        action.triggered.connect(lambda _=False, d=device: switch_device(window, d))
        group.addAction(action)
        actions[device] = action

    def show_current() -> None:
        lm = window.session.model
        current = lm.device if lm is not None else "cpu"
        for device, action in actions.items():
            action.setChecked(device == current)

    menu.aboutToShow.connect(show_current)
    show_current()
    return actions


def switch_device(window: DeviceOwner, device: str) -> None:
    lm = window.session.model
    os.environ["PLAYGROUND_DEVICE"] = device  # read when a model opens
    if lm is not None and lm.device != device:
        window.open_model(lm.folder)
