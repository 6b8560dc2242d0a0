"""The row of controls that wraps: one line when there is room, more when narrow, never
overlapping, never narrower than its widest control."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from playground.ui.widgets.flow_layout import FlowLayout


def _row(qtbot, n: int = 6) -> tuple[QWidget, FlowLayout, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = FlowLayout(holder)
    buttons = [QPushButton(f"Button number {i}") for i in range(n)]
    for button in buttons:
        layout.addWidget(button)
    holder.show()
    return holder, layout, buttons


def _lines(buttons: list[QPushButton]) -> int:
    return len({b.geometry().top() for b in buttons})


def test_one_line_when_wide_and_more_when_narrow_without_overlap(qtbot):
    holder, layout, buttons = _row(qtbot)
    wide = layout.sizeHint().width()
    widest = max(b.sizeHint().width() for b in buttons)
    assert layout.minimumSize().width() == widest
    for width in (wide, wide // 2, widest):
        layout.setGeometry(holder.rect().adjusted(0, 0, width - holder.width(), 0))
        rects = [b.geometry() for b in buttons]
        assert all(r.right() < width for r in rects), width  # inside the row
        for i, a in enumerate(rects):  # no two controls on each other
            assert not any(a.intersects(b) for b in rects[i + 1 :]), width
        line = max(b.sizeHint().height() for b in buttons)
        lines = _lines(buttons)
        assert layout.heightForWidth(width) >= lines * line
        if width == wide:
            assert lines == 1
        if width == widest:
            assert lines == len(buttons)  # one control per line
    assert layout.heightForWidth(widest) > layout.heightForWidth(wide)


def test_hidden_controls_take_no_place(qtbot):
    holder, layout, buttons = _row(qtbot, 3)
    buttons[1].hide()
    layout.setGeometry(holder.rect().adjusted(0, 0, layout.sizeHint().width(), 0))
    assert buttons[2].geometry().left() < buttons[0].geometry().right() + 30
