"""Export: every panel as PNG (twice the screen resolution) and SVG (valid XML), and the
data behind it as CSV and JSON that read back to what the panel shows."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage

from playground.engine.errors import PlaygroundError
from playground.engine.sampling.distribution import SamplingSettings
from tests.patience import patience

PANELS = ["tokenization", "next_token", "embeddings", "attention", "generation", "logit_lens"]


@pytest.fixture
def window(make_window, qtbot):
    window = make_window(persist=False, prompt="The capital of France is")
    session = window.session
    qtbot.waitUntil(lambda: session.extras.done, timeout=patience(60_000))
    session.set_sampling(SamplingSettings(temperature=0.0))
    assert session.step()  # greedy: " Paris"
    qtbot.waitUntil(
        lambda: not session.generating and session.analysis_is_current, timeout=patience(60_000)
    )
    window.show_panel("logit_lens")
    qtbot.waitUntil(lambda: session.lens_view.reading is not None, timeout=patience(60_000))
    return window


@pytest.mark.real_model
@pytest.mark.parametrize("panel", PANELS)
def test_every_panel_exports_a_picture_and_its_data(window, panel, tmp_path):
    png = window.export_panel(panel, tmp_path / f"{panel}.png")
    image = QImage(str(png))
    widget = window.docks[panel].widget()
    assert not image.isNull()
    assert (image.width(), image.height()) == (widget.width() * 2, widget.height() * 2)
    assert image.pixelColor(image.width() // 2, image.height() // 2).isValid()

    svg = window.export_panel(panel, tmp_path / f"{panel}.svg")
    root = ET.parse(svg).getroot()  # valid XML
    assert root.tag.endswith("svg") and len(list(root.iter())) > 10

    table = window.export_panel(panel, tmp_path / f"{panel}.csv")
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    document = json.loads(window.export_panel(panel, tmp_path / f"{panel}.json").read_text())
    assert document["panel"] == panel and document["prompt"] == window.session.prompt
    assert len(rows) == len(document["rows"]) > 0


@pytest.mark.real_model
def test_exported_data_is_what_the_panels_show(window, tmp_path):
    session = window.session
    tokens = json.loads(window.export_panel("tokenization", tmp_path / "t.json").read_text())
    assert [r["id"] for r in tokens["rows"]] == list(session.analysis.ids)

    with window.export_panel("next_token", tmp_path / "n.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 49_152
    best = session.distribution.top(1)[0]
    assert int(rows[0]["id"]) == best.token_id
    assert float(rows[0]["probability"]) == pytest.approx(best.prob)
    assert sum(float(r["probability"]) for r in rows) == pytest.approx(1.0, abs=1e-6)

    matrix = json.loads(window.export_panel("attention", tmp_path / "a.json").read_text())["rows"]
    shown = window.attention.current_matrix()  # (T, T)
    assert len(matrix) == shown.shape[0]
    values = [v for k, v in matrix[-1].items() if k not in ("view", "query")]
    assert values == pytest.approx(shown[-1].tolist())

    coords = json.loads(window.export_panel("embeddings", tmp_path / "e.json").read_text())
    assert len(coords["rows"]) == 49_152
    paris = coords["rows"][7042]
    assert paris["token"] == " Paris" and paris["in_prompt"]  # generated into the text
    expected = session.extras.embedding_space.projection.coords[7042]
    assert (paris["x"], paris["y"]) == pytest.approx(tuple(float(v) for v in expected))

    generated = json.loads(window.export_panel("generation", tmp_path / "g.json").read_text())
    assert generated["rows"][0]["token"] == " Paris"


def test_a_wrong_extension_or_folder_is_a_clear_error(window, tmp_path):
    with pytest.raises(PlaygroundError, match=r"\.png or \.svg"):
        window.export_panel("attention", tmp_path / "attention.gif")
    with pytest.raises(PlaygroundError, match="could not write"):
        window.export_panel("tokenization", tmp_path / "no-such-folder" / "t.csv")
