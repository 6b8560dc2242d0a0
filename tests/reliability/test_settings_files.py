"""A damaged settings file is reported, kept aside and replaced by defaults; unusable
values fall back to their defaults with a note. Never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.ui.state.settings import app_settings
from playground.ui.window.window_settings import DEFAULT_PROMPT


def _settings_file() -> Path:
    path = Path(app_settings().fileName())
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.real_model
@pytest.mark.parametrize(
    "content, problem",
    [
        (b"\x00\xff\xfe\x00 binary garbage \x00\x01" * 40, "binary data"),
        (b"[General\nprompt=unfinished section", "Qt cannot parse it"),
        (b"\xc3\x28\xa0\xa1 not utf-8", "not UTF-8"),
    ],
    ids=["binary", "unparseable", "not UTF-8"],
)
def test_a_damaged_settings_file_is_kept_aside_and_defaults_are_used(
    qtbot, make_window, content, problem
):
    path = _settings_file()
    path.write_bytes(content)
    window = make_window(persist=True)
    message = window.status_line.error.text()
    assert str(path) in message and problem in message and "Defaults are used" in message
    kept = path.with_name(path.name + ".damaged")
    assert kept.read_bytes() == content  # nothing is lost
    assert window.session.prompt == DEFAULT_PROMPT
    assert window.session.sampling.temperature == 1.0
    assert window.session.analysis.n_tokens > 0  # the app works
    window.session.set_prompt("Saved after the damage")
    window.close()
    assert app_settings().value("session/prompt") == "Saved after the damage"


@pytest.mark.real_model
def test_unusable_values_fall_back_to_their_defaults_with_a_note(qtbot, make_window):
    path = _settings_file()
    path.write_text(
        "[sampling]\ntemperature=hot\ntop_k=-5\ntop_p=0.5\nmin_p=nan\n"
        "[view]\ntop_n=1e400\n[session]\nprompt=Still here\n"
        "[window]\ngeometry=@ByteArray(nonsense)\nstate=@ByteArray(\\x1\\x2)\n",
        encoding="utf-8",
    )
    window = make_window(persist=True)
    s = window.session.sampling
    assert (s.temperature, s.top_k, s.top_p, s.min_p) == (1.0, 0, 0.5, 0.0)
    assert window.session.top_n == 15
    assert window.session.prompt == "Still here"
    message = window.status_line.error.text()
    for key in ("sampling/temperature", "sampling/top_k", "sampling/min_p", "view/top_n"):
        assert key in message
    assert window.docks["next_token"].isVisible()  # the damaged layout was ignored
