"""Presentation comforts: themes and text size (remembered), keyboard shortcuts, tooltips,
the About box, the desktop launcher and the double-click entry point."""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QSlider, QSpinBox

from playground.desktop_entry import install_desktop_entry
from tests.patience import patience


@pytest.fixture(autouse=True)
def light_afterwards():
    yield
    from playground.ui.state.appearance import DEFAULT_POINTS, apply_appearance

    apply_appearance("light", DEFAULT_POINTS)  # later tests draw in the default look


@pytest.mark.real_model
def test_dark_theme_and_larger_text_apply_and_are_remembered(qtbot, make_window):
    window = make_window(persist=True)
    base = QApplication.font().pointSizeF()
    window.theme_actions["dark"].trigger()
    window_color = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_color.lightness() < 80
    for _ in range(4):
        window.set_text_size(window.text_points + 1)
    assert QApplication.font().pointSizeF() == pytest.approx(base + 4)
    window.close()
    second = make_window(persist=True)
    assert second.theme == "dark" and second.theme_actions["dark"].isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(base + 4)
    second.theme_actions["light"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180


@pytest.mark.real_model
def test_a_window_without_settings_draws_the_text_size_it_shows(make_window):
    """Without stored settings (tests, `playground screenshot`) the window used the
    platform's font (9 pt offscreen) while its View menu said 10: a text size set back to
    normal then looked larger than at the start, and screenshots were not the app's."""
    window = make_window(persist=False)
    assert QApplication.font().pointSizeF() == pytest.approx(window.text_points)


@pytest.mark.real_model
def test_shortcuts_for_step_generate_stop_and_lessons(make_window):
    window = make_window(persist=False)
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString()
        for menu in window.menuBar().findChildren(type(window.lessons.menu))
        if menu.title()
        for a in menu.actions()
    }
    assert shortcuts["Step"] == "Ctrl+Right"
    assert shortcuts["Generate"] == "Ctrl+Return"
    assert shortcuts["Stop"] == "Esc"
    assert shortcuts["Open model…"] == "Ctrl+O"
    assert shortcuts["Save session…"] == "Ctrl+S"
    assert shortcuts["Larger text"] == "Ctrl+="


@pytest.mark.real_model
def test_every_control_has_a_tooltip_in_plain_words(make_window):
    window = make_window(persist=False)
    controls = [
        w
        for dock in window.docks.values()
        for kind in (QAbstractButton, QSlider, QSpinBox)
        for w in dock.widget().findChildren(kind)
        if w.isVisibleTo(window) and type(w) is not QAbstractButton  # (Qt's table corner)
    ]
    assert len(controls) > 15
    missing = [
        (type(w).__name__, getattr(w, "text", lambda: "")())
        for w in controls
        if not (w.toolTip() or (w.parent() and w.parent().toolTip()))
    ]
    assert missing == [], missing


@pytest.mark.real_model
def test_about_names_the_model_its_license_and_checksum(make_window):
    window = make_window(persist=False)
    window.show_about()
    text = window.about_box.text()
    info = window.session.model_info
    assert info.title in text and "apache-2.0" in text.lower()
    assert info.source_sha256[:16] in text
    assert not window.windowIcon().isNull()
    window.about_box.close()


def test_install_desktop_writes_a_launcher_and_icons(tmp_path: Path):
    written = install_desktop_entry(tmp_path)
    entry = tmp_path / "applications" / "llm-playground.desktop"
    assert entry in written
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(entry)
    desktop = parser["Desktop Entry"]
    assert desktop["Name"] == "LLM Playground" and desktop["Icon"] == "llm-playground"
    command = desktop["Exec"].split('"')[1]
    assert Path(command).exists()
    assert (tmp_path / "icons/hicolor/scalable/apps/llm-playground.svg").stat().st_size > 100
    assert (tmp_path / "icons/hicolor/256x256/apps/llm-playground.png").stat().st_size > 100


def test_the_gui_script_and_python_m_are_installed(tmp_path: Path):
    script = Path(sys.executable).with_name("llm-playground")
    assert script.is_file()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no display: a clear message
    result = subprocess.run([str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1 and "no display" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "playground", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "install-desktop" in result.stdout


@pytest.mark.real_model
def test_the_generate_shortcuts_work_from_the_keyboard(qtbot, make_window):
    from PySide6.QtCore import Qt

    window = make_window(persist=False, prompt="Once upon a time")
    window.activateWindow()
    window.generation.setFocus()  # (in the prompt editor Ctrl+Right moves by a word)
    qtbot.keyClick(window.generation, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.session.branches and not window.session.generating, timeout=patience(30_000)
    )
    assert len(window.session.branches[-1].tokens) == 1
    qtbot.keyClick(window.generation, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.session.generating, timeout=patience(10_000))
    qtbot.keyClick(window.generation, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.session.generating, timeout=patience(30_000))
    assert "stopped" in window.session.generation_status


@pytest.mark.real_model
def test_ctrl_o_asks_for_a_model_file(qtbot, make_window, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    asked = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: asked.append(args) or ("", "")
    )
    window = make_window(persist=False)
    window.activateWindow()
    qtbot.keyClick(window.editor, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dialog = window.open_model_dialog  # the models found on the machine, and a file browser
    qtbot.waitUntil(dialog.isVisible)
    dialog.browse.click()
    assert len(asked) == 1 and asked[0][1] == "Open a model"
    assert window.session.model_info.name == "smollm2-135m-instruct"  # cancelled: unchanged


@pytest.mark.real_model
def test_view_device_lists_the_cpu_and_greys_what_this_build_lacks(make_window):
    from playground.engine.runtime.devices import available_devices

    window = make_window(persist=False)
    actions = window.device_actions
    assert list(actions) == ["cpu", "cuda", "directml", "coreml"]
    assert actions["cpu"].isEnabled() and actions["cpu"].isChecked()
    for device, action in actions.items():
        assert action.isEnabled() == (device in available_devices())
        if not action.isEnabled():
            assert action.toolTip().startswith("Not in this ONNX Runtime build")
