"""Every result carries the Run it was computed from: the analysis and everything read
from a run (the logit lens, attribution, the logit's components, a layer's trace, a
receipt, a retrieval answer), so "is this result current?" is one comparison."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from playground.engine.inspect.analysis import Analysis, analyse_source
from playground.engine.inspect.direct_logit import LogitComponents, logit_components
from playground.engine.inspect.layer_trace import LayerTrace, trace_layer
from playground.engine.inspect.leave_one_out import LeaveOneOut, leave_one_out
from playground.engine.inspect.logit_lens import LensReading, LogitLens
from playground.engine.inspect.rag import RagResult
from playground.engine.inspect.receipt import Receipt, receipt
from playground.engine.inspect.run import ModelId, Run
from playground.engine.prompt.model_input import TEXT
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings
from tests.tiny_models import TinySpec

RESULT_TYPES = (Analysis, LensReading, LeaveOneOut, LogitComponents, LayerTrace, Receipt, RagResult)


@pytest.mark.parametrize("result_type", RESULT_TYPES, ids=lambda t: t.__name__)
def test_every_result_type_has_a_run_field(result_type):
    fields = {f.name: f.type for f in dataclasses.fields(result_type)}
    assert fields.get("run") in ("Run", Run)


def test_each_result_carries_the_run_it_was_computed_from(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3))
    knock_out = KnockOut.parse("0.1,1.mlp", lm.arch, "mean")
    interventions = Interventions(knock_out)
    analysis = analyse_source(lm, (TEXT, "abcabc"), interventions=interventions)
    run = analysis.run
    assert run == Run(ModelId.of(lm), (TEXT, "abcabc"), analysis.ids, interventions, None)
    assert run.model == ModelId(lm.info.name, lm.info.source_sha256)
    forward = analysis.forward
    assert forward is not None
    target = int(np.argmax(forward.next_token_logits))
    sampled = run.sampled_with(SamplingSettings(temperature=0.7, top_k=5))
    lens = LogitLens(lm.folder, lm.arch).read(sampled, forward.hidden_states, [0, 1])
    results = {
        "lens": lens,
        "left out": leave_one_out(lm, sampled, target, unit="token"),
        "components": logit_components(lm, sampled, forward, target),
        "trace": trace_layer(lm, sampled, 1, None, forward.attentions),
    }
    for name, result in results.items():  # what the model computes: the run without sampler
        assert result.run == run, name
    the_receipt = receipt(lm, sampled, target)
    assert the_receipt.run == sampled  # the receipt depends on the sampler too
    assert the_receipt.temperature == 0.7


def test_interventions_change_the_run_and_the_numbers(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3))
    intact = analyse_source(lm, (TEXT, "abcabc"))
    knocked = analyse_source(
        lm, (TEXT, "abcabc"), interventions=Interventions(KnockOut.parse("1.mlp", lm.arch))
    )
    assert intact.ids == knocked.ids and intact.run != knocked.run
    assert not np.allclose(intact.forward.next_token_logits, knocked.forward.next_token_logits)
    assert Interventions.parse(knocked.run.interventions.to_dict(), lm.arch) == (
        knocked.run.interventions
    )
