"""The causal lab's commands, run as a user runs them: `patch`, `routes`, and steering on
`predict` and `generate`; each JSON document is checked against the engine's own
computation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.engine.inspect.comparison import compare_logits
from playground.engine.inspect.steering_directions import text_direction
from playground.engine.prompt.model_input import TEXT, model_input
from playground.engine.runtime.interventions import NO_INTERVENTIONS
from tests.engine.test_cli import _playground

pytestmark = pytest.mark.real_model
CLEAN, CORRUPTED = "The capital of France is", "The capital of Italy is"


def test_patch_prints_the_contract(real_model):
    result = _playground("patch", CLEAN, CORRUPTED, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["tokens_clean"] == ["The", " capital", " of", " France", " is"]
    assert data["tokens_corrupted"][3] == " Italy"
    assert data["target"]["text"] == " Paris" and data["contrast"]["text"] == " Rome"
    assert data["site"] == "resid"
    effect = np.array(data["effect"])
    assert effect.shape == (real_model.arch.n_layer, 5)
    assert effect[0, 3] == pytest.approx(1.0, abs=1e-3)  # the only token that differs
    assert np.all(effect[:, :3] == 0.0)
    # the metric is the logit difference of the two runs the command made
    ids = model_input(real_model, (TEXT, CLEAN)).ids
    logits = real_model.forward(ids).next_token_logits
    expected = logits[data["target"]["id"]] - logits[data["contrast"]["id"]]
    assert data["metric_clean"] == pytest.approx(float(expected), abs=1e-3)


def test_patch_by_head_and_with_a_given_target(real_model):
    result = _playground(
        "patch",
        CLEAN,
        CORRUPTED,
        "--site",
        "head",
        "--target",
        " Paris",
        "--contrast",
        " the",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert np.array(data["effect"]).shape == (real_model.arch.n_layer, real_model.arch.n_head)
    assert data["contrast"]["text"] == " the"


def test_patch_refuses_prompts_of_different_lengths_in_one_line():
    result = _playground("patch", CLEAN, "The capital of Italy", "--json")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "5 tokens" in lines[0] and "4" in lines[0]
    assert result.stdout == ""


def test_routes_prints_edges_that_reach_the_prediction(real_model):
    result = _playground("routes", CLEAN, "--threshold", "0.05", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    edges = data["edges"]
    assert edges and data["position"] == 4
    assert all(e["share"] >= 0.05 for e in edges)
    assert {"layer", "from", "to", "share"} <= set(edges[0])
    last = [e for e in edges if e["layer"] == real_model.arch.n_layer - 1]
    assert {e["to"] for e in last} == {4}  # the last block's edges end at the prediction


def test_predict_and_generate_steered(real_model):
    args = ["--steer-to", "I love you", "--steer-from", "I hate you", "--steer-layer", "6"]
    result = _playground(
        "predict", "I think that you are", *args, "--steer-strength", "-2", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    steering = text_direction(real_model, "I love you", "I hate you", 6, -2.0)
    assert data["steering"]["layer"] == 6 and data["steering"]["strength"] == -2.0
    assert data["steering"]["vector_norm"] == pytest.approx(steering.direction.norm, rel=1e-4)
    ids = model_input(real_model, (TEXT, "I think that you are")).ids
    logits = real_model.forward(ids, interventions=NO_INTERVENTIONS.with_steering(steering))
    top = int(np.argmax(logits.next_token_logits))
    assert data["next"][0]["id"] == top
    assert (
        compare_logits(real_model.forward(ids).next_token_logits, logits.next_token_logits).kl_bits
        > 0.1
    )
    plain = json.loads(_playground("predict", "I think that you are", "--json").stdout)
    assert plain["steering"] is None
    generated = _playground(
        "generate", "I think that you are", *args, "--steer-strength", "-2",
        "--temperature", "0", "--max-tokens", "8", "--json",
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    steered_text = json.loads(generated.stdout)["text"]
    unsteered = _playground(  # strength 0: the same graph (fp32) for the generated tokens
        "generate", "I think that you are", *args, "--steer-strength", "0",
        "--temperature", "0", "--max-tokens", "8", "--json",
    )  # fmt: skip
    assert steered_text != json.loads(unsteered.stdout)["text"]
    half = _playground("predict", "x", "--steer-to", "I love you")
    assert half.returncode != 0 and "--steer-from" in half.stderr
