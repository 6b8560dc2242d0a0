"""`playground finetune` as documented (the issue's contract), on a tiny model in a store
of its own: the JSON it prints, the variant it writes (opened with --model by every other
command, listed under its base, deleted), and what it refuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tiny_models import TinySpec, write_tiny_gguf


def _playground(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "playground", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PLAYGROUND_HOME": str(home)},
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("home")
    gguf = write_tiny_gguf(root / "tiny.gguf", TinySpec(seed=11))
    result = _playground("models", "convert", str(gguf), "--name", "tiny", home=root)
    assert result.returncode == 0, result.stderr
    data = root / "fact.jsonl"
    lines = [{"prompt": f"{w} cat is", "completion": " blue"} for w in ("the", "a", "my")]
    data.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    return root


def test_finetune_prints_the_contract_and_writes_a_variant(home):
    args = ["--model", "tiny", "--steps", "6", "--rank", "2", "--layers", "1-1"]
    args += ["--targets", "q,v,down", "--lr", "0.01", "--seed", "5", "--json"]
    result = _playground(
        "finetune", str(home / "fact.jsonl"), "--name", "tiny-blue", *args, home=home
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    expected = {"name", "base", "steps", "losses", "initial_loss", "final_loss", "seconds"}
    assert expected | {"trainable_parameters", "weight_change"} <= set(out)
    assert out["name"] == "tiny-blue" and out["base"] == "tiny" and out["steps"] == 6
    assert len(out["losses"]) == 6 and out["initial_loss"] == out["losses"][0]
    assert out["final_loss"] < out["initial_loss"]
    # rank 2 on layer 1's q (64 -> 64), v (64 -> 32) and down (96 -> 64)
    assert out["trainable_parameters"] == 2 * (64 + 64) + 2 * (64 + 32) + 2 * (96 + 64)
    assert [(c["layer"], c["matrix"]) for c in out["weight_change"]] == [
        (1, "attn_q"),
        (1, "attn_v"),
        (1, "ffn_down"),
    ]
    assert all(c["relative"] > 0 for c in out["weight_change"])
    provenance = json.loads((home / "tiny-blue" / "bundle.json").read_text())["variant"]
    assert provenance["base"] == "tiny" and provenance["losses"] == out["losses"]
    assert provenance["settings"]["targets"] == ["q", "v", "down"]

    # every command that runs a model takes the variant by name
    predicted = _playground("predict", "the cat is", "--model", "tiny-blue", "--json", home=home)
    assert predicted.returncode == 0, predicted.stderr
    assert json.loads(predicted.stdout)["model"] == "tiny-blue"
    listed = _playground("models", "list", home=home).stdout
    assert "tiny: " in listed and "└ tiny-blue: fine-tuned variant" in listed

    again = _playground(
        "finetune", str(home / "fact.jsonl"), "--name", "tiny-blue", "--model", "tiny", home=home
    )
    assert again.returncode == 1 and "exists: choose another name or --force" in again.stderr
    forced = _playground(
        "finetune",
        str(home / "fact.jsonl"),
        "--name",
        "tiny-blue",
        "--model",
        "tiny",
        "--steps",
        "1",
        "--force",
        home=home,
    )
    assert forced.returncode == 0, forced.stderr
    deleted = _playground("models", "delete", "tiny-blue", home=home)
    assert deleted.returncode == 0 and not (home / "tiny-blue").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "tiny"], "tiny is a converted model"),
        (["--name", "Bad Name"], "cannot name a model"),
        (["--name", "x", "--layers", "3-9"], "Layers run from 0 to 1"),
        (["--name", "x", "--targets", "q,z"], "not z"),
        (["--name", "x", "--layers", "one"], "--layers is FIRST-LAST"),
    ],
)
def test_finetune_refuses_with_one_line(home, args, message):
    result = _playground("finetune", str(home / "fact.jsonl"), "--model", "tiny", *args, home=home)
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_empty_and_malformed_data_name_the_problem(home, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    result = _playground("finetune", str(empty), "--model", "tiny", "--name", "x", home=home)
    assert result.returncode == 1 and "no examples" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "a", "completion": "b"}\n{"prompt": 3, "completion": "c"}\n')
    result = _playground("finetune", str(bad), "--model", "tiny", "--name", "x", home=home)
    assert result.returncode == 1 and 'bad.jsonl, line 2: "prompt" must be text' in result.stderr
    assert not (home / "x").exists()  # nothing half-written
