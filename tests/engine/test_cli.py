"""The command line, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.tiny_models import write_tiny_gguf


def _playground(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "playground", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.real_model
def test_predict_paris_with_the_checked_probability(real_model):
    result = _playground("predict", "The capital of France is", "--top", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["id"] for t in data["tokens"]] == [504, 3575, 282, 4649, 314]
    assert [n["text"] for n in data["next"]] == [" Paris", " the", " London"]
    assert data["next"][0]["prob"] == pytest.approx(0.773, abs=0.02)
    assert data["next"][1]["prob"] == pytest.approx(0.065, abs=0.01)


@pytest.mark.real_model
def test_predict_table_for_people(real_model):
    result = _playground("predict", "The capital of France is", "--top", "3", "--top-p", "0.5")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("' Paris'" in line and "7042" in line for line in lines)
    assert any("' the'" in line and "(cut)" in line for line in lines)
    assert "other 49,149 tokens" in result.stdout


@pytest.mark.real_model
def test_greedy_generation_is_the_argmax_chain(real_model):
    prompt = "Once upon a time, there was a little"
    result = _playground("generate", prompt, "--max-tokens", "20", "--temperature", "0", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    generated = [g["id"] for g in data["generated"]]
    ids = real_model.encode(prompt)
    expected = []
    for _ in range(len(generated)):  # full forwards, no cache
        expected.append(int(np.argmax(real_model.forward(ids + expected).logits[-1])))
    assert generated == expected
    assert data["text"].startswith(" girl")
    words = data["text"].split()
    assert len(words) >= 12 and all(w.strip(".,!?'\"").isalpha() for w in words)


@pytest.mark.real_model
def test_seeded_generation_is_reproducible(real_model):
    args = ("generate", "The cat sat on the", "--max-tokens", "8", "--seed", "7", "--json")
    first, second = _playground(*args), _playground(*args)
    assert json.loads(first.stdout)["generated"] == json.loads(second.stdout)["generated"]


def test_models_list_shows_catalog_and_bundles(tmp_path):
    env = {"PLAYGROUND_HOME": str(tmp_path)}
    gguf = write_tiny_gguf(tmp_path / "tiny.gguf")
    converted = _playground("models", "convert", str(gguf), env=env)
    assert converted.returncode == 0, converted.stderr
    listing = _playground("models", "list", env=env)
    assert "smollm2-135m-instruct (default): SmolLM2-135M-Instruct, Apache-2.0" in listing.stdout
    assert "tiny: tiny-llama, llama 2 layers x 4 heads" in listing.stdout


def test_the_window_without_a_display_is_a_clear_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-m", "playground"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 1
    assert "no display" in result.stderr and "Traceback" not in result.stderr


def test_errors_are_one_line_and_exit_non_zero(tmp_path):
    env = {"PLAYGROUND_HOME": str(tmp_path)}
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"\x00" * 100)
    result = _playground("predict", "hi", "--model", str(bogus), env=env)
    assert result.returncode == 1
    error = "playground: bogus.gguf: not a GGUF file (it does not start with 'GGUF')."
    assert result.stderr.strip().splitlines()[-1] == error
    result = _playground("predict", "hi", "--model", "no-such-model", env=env)
    assert result.returncode == 1 and "no-such-model" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--temperature", "-1", "--temperature must lie between 0 and 1e+06 (0 = greedy)"),
        ("--top-p", "2", "--top-p must lie between 0 and 1 (1 = off)"),
        ("--min-p", "nan", "--min-p must lie between 0 and 1 (0 = off)"),
        ("--top-k", "-5", "--top-k must be at least 0 (0 = off)"),
    ],
)
def test_sampler_values_out_of_range_are_refused_with_the_range(option, value, message):
    # refused before any model is loaded: no PLAYGROUND_HOME, no model needed
    for command in ("generate", "predict"):
        result = _playground(command, "hi", option, value, env={"PLAYGROUND_HOME": "/nonexistent"})
        assert result.returncode == 1
        assert result.stderr.strip().splitlines()[-1].startswith(f"playground: {message}")
        assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_model_store_that_is_a_file_is_one_clear_line(tmp_path):
    home = tmp_path / "not-a-folder"
    home.write_text("x")
    result = _playground("models", "list", env={"PLAYGROUND_HOME": str(home)})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"playground: PLAYGROUND_HOME ({home}) is a file, not a folder: point it at a folder."
    )


def test_converting_a_folder_says_it_is_a_folder(tmp_path):
    write_tiny_gguf(tmp_path / "tiny.gguf")
    result = _playground("models", "convert", str(tmp_path), env={"PLAYGROUND_HOME": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"playground: {tmp_path} is a folder, not a .gguf file. "
        "It holds tiny.gguf: give one of them."
    )
    assert "Traceback" not in result.stderr


def test_old_pip_is_asked_for_plain_progress(monkeypatch):
    from playground.engine.store import fetch

    monkeypatch.setattr(fetch, "_pip_version", lambda: (23, 2))
    assert fetch._progress_option() == ["--progress-bar", "off"]
    monkeypatch.setattr(fetch, "_pip_version", lambda: (24, 1))
    assert fetch._progress_option() == ["--progress-bar", "raw"]


@pytest.mark.real_model
def test_compare_prints_both_tables_and_the_divergence_it_measured(real_model):
    from playground.engine.inspect.comparison import softmax

    a, b = "The capital of France is", "The capital of Italy is"
    result = _playground("compare", a, b, "--top", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["a"]["next"][0]["text"] == " Paris" and data["b"]["next"][0]["text"] == " Rome"
    p = softmax(real_model.forward(real_model.encode(a)).next_token_logits)
    q = softmax(real_model.forward(real_model.encode(b)).next_token_logits)
    assert data["kl_bits"] == pytest.approx(float(np.sum(p * np.log2(p / q))), rel=1e-4)
    assert data["total_variation"] == pytest.approx(0.5 * float(np.abs(p - q).sum()), rel=1e-4)
    assert data["changes"][0]["text"] == " Paris" and data["changes"][0]["change"] < -0.5


@pytest.mark.real_model
def test_attribute_leaves_each_token_out_as_the_contract_says(real_model):
    prompt = "The capital of France is"
    result = _playground("attribute", prompt, "--target", " Paris", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["method"] == "leave-one-out" and data["target"]["text"] == " Paris"
    ids = real_model.encode(prompt)
    assert [t["id"] for t in data["tokens"]] == ids
    paris = data["target"]["id"]

    def log_p(tokens):
        z = real_model.forward(tokens).next_token_logits.astype(np.float64)
        return z[paris] - z.max() - np.log(np.exp(z - z.max()).sum())

    france = next(t for t in data["tokens"] if t["text"] == " France")
    shortened = [t for i, t in enumerate(ids) if i != france["index"]]
    assert france["score"] == pytest.approx(log_p(ids) - log_p(shortened), abs=1e-3)
    words = _playground("attribute", prompt, "--unit", "word")  # the table, for people
    assert words.returncode == 0, words.stderr
    assert "Why ' Paris' after" in words.stdout and "' France'" in words.stdout


@pytest.mark.real_model
def test_attribute_by_components_adds_up_to_the_logit(real_model):
    result = _playground(
        "attribute", "The capital of France is", "--method", "components", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = [c["name"] for c in data["components"]]
    assert names[:3] == ["embed", "L0.attn", "L0.mlp"] and names[-1] == "L29.mlp"
    total = sum(c["logit"] for c in data["components"])
    logits = real_model.forward(real_model.encode("The capital of France is")).next_token_logits
    assert data["logit"] == pytest.approx(float(logits[data["target"]["id"]]), abs=1e-4)
    assert total == pytest.approx(data["logit"], abs=1e-3)
    layer_23 = sum(h["logit"] for h in data["heads"] if h["layer"] == 23)
    assert layer_23 == pytest.approx(
        next(c["logit"] for c in data["components"] if c["name"] == "L23.attn"), abs=1e-4
    )


@pytest.mark.real_model
def test_knocking_out_the_head_that_writes_paris_takes_most_of_it_away(real_model, real_gguf):
    from playground.engine.runtime.knock_out import KnockOut
    from tests.engine.test_graph_parity import _real_reference

    result = _playground(
        "predict", "The capital of France is", "--top", "3", "--knock-out", "23.4", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["knocked_out"] == "23.4"
    paris = next(n for n in data["next"] if n["text"] == " Paris")
    assert paris["prob"] < 0.3  # 77 % with the head, about 14 % without it
    ids = real_model.encode("The capital of France is")
    from playground.engine.runtime.interventions import Interventions

    knock_out = KnockOut.parse("23.4", real_model.arch)
    reference = _real_reference(real_gguf).forward(ids, knock_out.heads)
    ours = real_model.forward(ids, interventions=Interventions(knock_out)).logits
    np.testing.assert_allclose(ours[-1], reference.logits[-1], atol=2e-2)
    bad = _playground("predict", "Hi", "--knock-out", "31.2")
    assert bad.returncode != 0 and "Cannot knock out '31.2'" in bad.stderr


@pytest.mark.real_model
def test_explain_prints_every_number_inside_a_layer(real_model):
    prompt = "The capital of France is"
    result = _playground("explain", prompt, "--layer", "23", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    ids = real_model.encode(prompt)
    P = len(ids) - 1
    assert data["position"] == P and data["token"] == " is"
    a = real_model.arch
    assert np.shape(data["q"]) == (a.n_head, a.head_dim)
    assert np.shape(data["k"]) == np.shape(data["v"]) == (P + 1, a.n_head_kv, a.head_dim)
    assert np.shape(data["scores"]) == np.shape(data["probs"]) == (a.n_head, P + 1)
    assert np.shape(data["head_outputs"]) == (a.n_head, a.head_dim)
    assert np.shape(data["gate"]) == np.shape(data["act"]) == (a.d_ff,)
    forward = real_model.forward(ids)
    maps = np.asarray(forward.attentions)[23, :, P, : P + 1]  # the attention panel's weights
    np.testing.assert_allclose(data["probs"], maps, atol=1e-6)
    assert data["probs"][4][3] > 0.85  # head 23.4 looks at " France"
    scores = np.asarray(data["scores"])
    soft = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(soft / soft.sum(axis=1, keepdims=True), maps, atol=1e-5)
    np.testing.assert_allclose(data["residual_out"], forward.hidden_states[24, P], atol=1e-4)
    np.testing.assert_allclose(data["residual_in"], forward.hidden_states[23, P], atol=1e-6)
    top = data["top_neurons"]
    assert len(top) == 8 and all(len(n["promotes"]) == 5 for n in top)
    assert abs(top[0]["activation"]) == pytest.approx(float(np.abs(data["act"]).max()))


@pytest.mark.real_model
def test_explain_receipt_ends_at_the_predicted_probability(real_model):
    prompt = "The capital of France is"
    args = ("--temperature", "0.8", "--top-k", "20")
    result = _playground("explain", prompt, "--receipt", " Paris", *args, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    predicted = json.loads(_playground("predict", prompt, *args, "--json").stdout)["next"][0]
    assert predicted["text"] == data["token"] == " Paris"
    assert data["prob"] == pytest.approx(predicted["prob"], abs=1e-9)
    assert data["logit"] == pytest.approx(predicted["logit"], abs=1e-3)
    assert data["temperature"] == 0.8 and data["kept"]
    assert np.exp((data["logit"] - data["max_logit"]) / 0.8 - data["log_sum_exp"]) == (
        pytest.approx(data["tempered_prob"], rel=1e-4)
    )
    both = _playground("explain", prompt)
    assert both.returncode != 0 and "--layer" in both.stderr
