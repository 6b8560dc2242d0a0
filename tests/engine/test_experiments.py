"""Experiments on a prompt: leave-one-out attribution must equal forwards of the
shortened prompts, the comparison of two runs must equal a direct computation of KL
divergence and total variation."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.comparison import compare_logits
from playground.engine.inspect.leave_one_out import leave_one_out, prompt_parts
from playground.engine.runtime.interventions import Interventions
from tests.runs import run_of
from tests.tiny_models import TinySpec


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    return z - z.max() - np.log(np.exp(z - z.max()).sum())


@pytest.mark.parametrize(
    ("unit", "knocked", "ablation"),
    [
        ("token", "", "zero"),
        ("word", "", "zero"),
        ("line", "", "zero"),
        ("token", "0.1,1.mlp", "zero"),
        ("word", "1.0,0.2", "mean"),
    ],
)
def test_leave_one_out_scores_are_forwards_of_the_shortened_prompts(
    tiny_factory, unit, knocked, ablation
):
    from playground.engine.runtime.knock_out import KnockOut

    _, lm = tiny_factory(TinySpec(seed=3))
    ids = np.random.default_rng(1).integers(0, lm.vocab_size, size=14).tolist()
    knock_out = KnockOut.parse(knocked, lm.arch, ablation).over(ids)  # means: the whole's
    full = _log_softmax(lm.forward(ids, interventions=Interventions(knock_out)).next_token_logits)
    target = int(np.argmax(full))
    result = leave_one_out(lm, run_of(lm, ids, knock_out), target, unit=unit)
    assert result.base == pytest.approx(full[target], abs=1e-5)
    covered = sorted(p for part in result.parts for p in part.positions)
    assert covered == list(range(len(ids)))  # every token is in exactly one part
    for part, score in zip(result.parts, result.scores, strict=True):
        shortened = [t for i, t in enumerate(ids) if i not in part.positions]
        if not shortened:  # the part was the whole prompt: nothing left to read
            assert np.isnan(score)
            continue
        without = lm.forward(shortened, interventions=Interventions(knock_out)).next_token_logits
        assert score == pytest.approx(full[target] - _log_softmax(without)[target], abs=1e-4)


def test_why_x_rather_than_y_scores_the_logit_difference(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=4))
    ids = np.random.default_rng(2).integers(0, lm.vocab_size, size=9).tolist()
    logits = lm.forward(ids).next_token_logits
    x, y = (int(i) for i in np.argsort(-logits)[:2])
    result = leave_one_out(lm, run_of(lm, ids), x, contrast=y)
    assert result.base == pytest.approx(float(logits[x] - logits[y]), abs=1e-5)
    shortened = ids[:4] + ids[5:]
    z = lm.forward(shortened).next_token_logits
    assert result.scores[4] == pytest.approx(result.base - float(z[x] - z[y]), abs=1e-4)


def test_leave_one_out_reports_progress_and_can_be_cancelled(tiny_factory):
    from playground.engine.errors import Cancelled

    _, lm = tiny_factory(TinySpec(seed=3))
    ids = list(range(5, 15))
    seen: list[tuple[int, int]] = []
    leave_one_out(lm, run_of(lm, ids), 0, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)
    with pytest.raises(Cancelled):
        leave_one_out(
            lm,
            run_of(lm, ids),
            0,
            cancelled=lambda: len(seen) > 12,
            progress=lambda *a: seen.append(a),
        )


@pytest.mark.real_model
def test_words_and_lines_of_a_real_prompt(real_model):
    ids = real_model.encode("The capital of France is Paris. The capital of Italy is")
    words = [p.text for p in prompt_parts(real_model, ids, "word")]
    assert words == [
        "The",
        " capital",
        " of",
        " France",
        " is",
        " Paris.",
        " The",
        " capital",
        " of",
        " Italy",
        " is",
    ]
    lines = [p.text for p in prompt_parts(real_model, ids, "line")]
    assert lines == ["The capital of France is Paris.", " The capital of Italy is"]


@pytest.mark.real_model
def test_paris_is_predicted_because_of_france(real_model):
    ids = real_model.encode("The capital of France is")
    paris = real_model.encode(" Paris")[0]
    result = leave_one_out(real_model, run_of(real_model, ids), paris, unit="word")
    scores = {p.text: float(s) for p, s in zip(result.parts, result.scores, strict=True)}
    print(f"\n' Paris' log p {result.base:.2f}; drops: {scores}")
    # " is" asks for the answer (without it the next token is a comma); of the words
    # before it, " capital" and " France" matter most, several nats each
    before_the_question = sorted(scores, key=scores.get)[:-1]  # type: ignore[arg-type]
    assert max(scores, key=scores.get) == " is"  # type: ignore[arg-type]
    assert set(before_the_question[-2:]) == {" capital", " France"}
    assert scores[" France"] > 3.0 and scores[" of"] < scores[" France"]


def test_the_comparison_of_two_runs_is_the_direct_computation():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=50).astype(np.float32), rng.normal(size=50).astype(np.float32)
    c = compare_logits(a, b, top=5)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    p = np.exp(a64 - a64.max()) / np.exp(a64 - a64.max()).sum()
    q = np.exp(b64 - b64.max()) / np.exp(b64 - b64.max()).sum()
    assert c.kl_bits == pytest.approx(float(np.sum(p * np.log2(p / q))), rel=1e-9)
    assert c.kl_bits_reverse == pytest.approx(float(np.sum(q * np.log2(q / p))), rel=1e-9)
    assert c.total_variation == pytest.approx(0.5 * float(np.abs(p - q).sum()), rel=1e-9)
    changes = [abs(x.change) for x in c.changes]
    assert changes == sorted(changes, reverse=True) and changes[0] == pytest.approx(
        float(np.abs(p - q).max())
    )
    same = compare_logits(a, a)
    assert same.kl_bits == 0.0 and same.total_variation == 0.0
    masked = a.copy()
    masked[3] = -np.inf  # a token B can never produce: infinitely many bits
    assert compare_logits(a, masked).kl_bits == np.inf
    assert np.isfinite(compare_logits(masked, a).kl_bits)


@pytest.mark.parametrize("seed", [3, 7])
def test_the_logit_is_the_sum_of_its_components(tiny_factory, seed):
    from playground.engine.inspect.direct_logit import logit_components

    _, lm = tiny_factory(TinySpec(seed=seed))
    ids = np.random.default_rng(seed).integers(0, lm.vocab_size, size=11).tolist()
    fw = lm.forward(ids)
    for target in (int(np.argmax(fw.next_token_logits)), 5):
        parts = logit_components(lm, run_of(lm, ids), fw, target)
        assert parts.logit == pytest.approx(float(fw.next_token_logits[target]))
        assert float(parts.values.sum()) == pytest.approx(parts.logit, abs=1e-3)
        for layer in range(lm.arch.n_layer):  # a layer's heads add up to its attention
            assert float(parts.heads[layer].sum()) == pytest.approx(
                parts.value(f"L{layer}.attn"), abs=1e-4
            )
        assert parts.names[:3] == ("embed", "L0.attn", "L0.mlp")


@pytest.mark.parametrize("ablation", ["zero", "mean"])
def test_the_components_of_a_knocked_out_run_add_up_to_its_logit(tiny_factory, ablation):
    from playground.engine.inspect.direct_logit import logit_components
    from playground.engine.runtime.knock_out import KnockOut

    _, lm = tiny_factory(TinySpec(seed=5))
    L = lm.arch.n_layer
    ids = np.random.default_rng(3).integers(0, lm.vocab_size, size=11).tolist()
    knock_out = KnockOut.parse(f"0.1,{L - 1}.0,0.mlp,{L - 1}.mlp", lm.arch, ablation)
    fw = lm.forward(ids, interventions=Interventions(knock_out))
    target = int(np.argmax(fw.next_token_logits))
    parts = logit_components(lm, run_of(lm, ids, knock_out), fw, target)
    assert parts.logit == pytest.approx(float(fw.next_token_logits[target]))
    assert float(parts.values.sum()) == pytest.approx(parts.logit, abs=1e-3)
    assert parts.value("L0.mlp") == pytest.approx(0.0, abs=1e-4)  # switched off
    assert parts.value(f"L{L - 1}.mlp") == 0.0
    if ablation == "zero":
        assert parts.heads[0, 1] == 0.0 and parts.heads[L - 1, 0] == 0.0
    else:  # its mean output, through the output projection: not nothing
        assert parts.heads[0, 1] != 0.0


@pytest.mark.real_model
def test_components_of_paris_add_up_to_the_models_logit(real_model):
    from playground.engine.inspect.direct_logit import logit_components

    ids = real_model.encode("The capital of France is")
    fw = real_model.forward(ids)
    paris = real_model.encode(" Paris")[0]
    parts = logit_components(real_model, run_of(real_model, ids), fw, paris)
    assert float(parts.values.sum()) == pytest.approx(parts.logit, abs=1e-3)
    ranked = sorted(zip(parts.names, parts.values, strict=True), key=lambda p: -p[1])
    print(f"\nlogit {parts.logit:.3f} = sum of parts; largest: {ranked[:5]}")


@pytest.mark.parametrize(
    "spec",
    [
        TinySpec(seed=3),
        TinySpec(seed=8, family="qwen2"),
        TinySpec(seed=7, family="qwen3", head_dim=32),
    ],
)
def test_a_knock_out_equals_the_reference_forward_without_those_parts(tiny_factory, spec):
    from playground.engine.runtime.knock_out import KnockOut
    from tests.reference import ReferenceModel

    gguf, lm = tiny_factory(spec)
    reference = ReferenceModel(gguf)
    ids = np.random.default_rng(5).integers(0, lm.vocab_size, size=10).tolist()
    knock_out = KnockOut.parse(f"0.1,1.attn,{lm.arch.n_layer - 1}.mlp", lm.arch)
    assert (1, 0) in knock_out.heads and (0, 1) in knock_out.heads
    fw = lm.forward(ids, interventions=Interventions(knock_out))
    ref = reference.forward(ids, knock_out.heads, knock_out.mlps)
    np.testing.assert_allclose(fw.logits, ref.logits, atol=2e-3)
    np.testing.assert_allclose(fw.hidden_states, ref.hidden_states, atol=2e-3)
    intact = lm.forward(ids)
    assert np.abs(intact.logits - fw.logits).max() > 1e-2  # the knock-out changed something
    np.testing.assert_allclose(intact.logits, reference.forward(ids).logits, atol=2e-3)
    # one more token on top of a knocked-out prompt runs knocked out too (analysis graph)
    step = lm.step(fw.cache, [ids[0]], interventions=Interventions(knock_out))
    ref_next = reference.forward([*ids, ids[0]], knock_out.heads, knock_out.mlps)
    np.testing.assert_allclose(step.logits[-1], ref_next.logits[-1], atol=2e-3)


@pytest.mark.parametrize(
    "spec",
    [
        TinySpec(seed=4),
        TinySpec(seed=9, family="qwen2"),
        TinySpec(seed=7, family="qwen3", head_dim=32),
    ],
)
def test_mean_ablation_writes_each_heads_mean_output_over_the_prompt(tiny_factory, spec):
    from playground.engine.errors import PlaygroundError
    from playground.engine.runtime.knock_out import KnockOut
    from tests.reference import ReferenceModel

    gguf, lm = tiny_factory(spec)
    reference = ReferenceModel(gguf)
    ids = np.random.default_rng(6).integers(0, lm.vocab_size, size=12).tolist()
    knock_out = KnockOut.parse("0.1,1.attn", lm.arch, ablation="mean")
    intact = reference.forward(ids)
    means = intact.head_outputs.mean(axis=1)  # (L, H, hd): over the prompt's tokens
    np.testing.assert_allclose(lm.mean_head_outputs(ids), means, atol=1e-4)
    only = lm.mean_head_outputs(ids, [1])  # one layer's: the others are zeros
    np.testing.assert_allclose(only[1], means[1], atol=1e-4)
    assert not only[0].any()
    ref = reference.forward(ids, knock_out.heads, head_means=means)
    fw = lm.forward(ids, interventions=Interventions(knock_out))
    np.testing.assert_allclose(fw.logits, ref.logits, atol=2e-3)
    zeroed = lm.forward(ids, interventions=Interventions(knock_out.with_ablation("zero")))
    assert np.abs(zeroed.logits - fw.logits).max() > 1e-2  # mean is not zero ablation
    # generating on: the means stay those of the prompt, not of the tokens added
    over_prompt = knock_out.over(ids)
    step = lm.step(fw.cache, [ids[0]], interventions=Interventions(over_prompt))
    ref_next = reference.forward([*ids, ids[0]], knock_out.heads, head_means=means)
    np.testing.assert_allclose(step.logits[-1], ref_next.logits[-1], atol=2e-3)
    with pytest.raises(PlaygroundError, match="needs the prompt"):
        lm.step(fw.cache, [ids[0]], interventions=Interventions(knock_out))
    assert (
        "mean output" in knock_out.explain() and "zero" in knock_out.with_ablation("zero").explain()
    )
    with pytest.raises(PlaygroundError, match="'zero' or 'mean'"):
        KnockOut.parse("0.1", lm.arch, ablation="half")  # type: ignore[arg-type]


def test_a_knock_out_names_what_the_model_does_not_have(tiny_factory):
    from playground.engine.errors import PlaygroundError
    from playground.engine.runtime.knock_out import KnockOut

    _, lm = tiny_factory(TinySpec(seed=3))
    for bad in ("99.1", "0.99", "head", "1.att"):
        with pytest.raises(PlaygroundError, match="Cannot knock out"):
            KnockOut.parse(bad, lm.arch)
    assert KnockOut.parse("", lm.arch).empty
