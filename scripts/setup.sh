#!/usr/bin/env bash
# Create .venv (if needed) and install the app into it; `scripts/setup.sh test` adds the
# test tools (pytest, ruff, mypy, ...). Re-running is cheap: nothing is reinstalled unless
# pyproject.toml changed. pip prints its own progress, so a first install (a few minutes:
# Qt and ONNX Runtime are large) visibly moves.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "LLM Playground needs Python 3.11 or newer (found: $("$python" --version 2>&1))." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv ..."
    "$python" -m venv .venv
fi
target=.
[ "${1:-}" = test ] && target=".[test]"
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${1:-app}
if [ ! -f "$stamp" ] && [ ! -f "${stamp%-app}-test" ]; then  # the test set includes the app
    echo "Installing LLM Playground${1:+ and its test tools} into .venv (pip's progress below) ..."
    if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
           .venv/bin/python -m pip install --disable-pip-version-check -e "$target"; }
    then
        echo "Installing failed: pip's message is above." >&2
        exit 1
    fi
    rm -f .venv/.installed-*
    touch "$stamp"
fi

# Qt needs a few system libraries that minimal machines lack: install them if we can.
qt_dir=$(.venv/bin/python -c 'import PySide6, os; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))')
missing_qt_libs() {  # libraries the Qt core and its X11 (xcb) window plugin cannot find
    ldd "$qt_dir"/lib/libQt6Widgets.so.6 "$qt_dir"/lib/libQt6XcbQpa.so.6 \
        "$qt_dir"/plugins/platforms/libqxcb.so 2>/dev/null | grep "not found" | sort -u
}
if [ -n "$(missing_qt_libs)" ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "Installing the system libraries Qt needs ..."
        apt-get update -qq
        apt-get install -y -qq libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 \
            libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
            libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 \
            >/dev/null
    else
        echo "Qt is missing system libraries:" >&2
        missing_qt_libs >&2
        echo "Install them with your package manager (Debian/Ubuntu: libxcb-cursor0," \
            "libxcb-icccm4, libxcb-keysyms1, libxkbcommon-x11-0, libegl1)." >&2
    fi
fi
