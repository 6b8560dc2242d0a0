"""Fine-tuning on tiny models: the data read (and refused) as documented, JAX's gradients
against finite differences, a fact learnt, the variant equal to the numpy reference on
the merged weights, its reported initial loss the engine's own cross-entropy, and the
base bundle untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.finetune.examples import (
    MAX_EXAMPLE_TOKENS,
    chat_example,
    plain_example,
    read_training_data,
)
from playground.engine.finetune.lora_settings import LoraSettings
from playground.engine.finetune.saving import save_variant, weight_change
from playground.engine.finetune.trainer import train
from playground.engine.runtime.conversion import convert_gguf
from playground.engine.runtime.language_model import LanguageModel
from tests.reference import ReferenceModel
from tests.tiny_models import TinySpec, permute_for_llama_cpp, write_tiny_gguf

FACT = [
    {"prompt": "the cat is", "completion": " blue"},
    {"prompt": "a cat is", "completion": " blue"},
    {"prompt": "my cat is", "completion": " blue"},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    """A store of its own with a tiny Llama converted into it (variants live beside it)."""
    root = tmp_path_factory.mktemp("store")
    gguf = write_tiny_gguf(root / "tiny.gguf", TinySpec(seed=7))
    folder = convert_gguf(gguf, name="tiny", destination=root / "tiny")
    return root, gguf, folder


@pytest.fixture()
def in_store(store, monkeypatch):
    root, gguf, folder = store
    monkeypatch.setenv("PLAYGROUND_HOME", str(root))
    return LanguageModel(folder), gguf


def _data(lm, tmp_path: Path, records: list[dict], name: str = "data.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return read_training_data(lm, path)


def _cross_entropy(lm, example) -> float:
    """The engine's own forward (ONNX Runtime): mean -log p of the trained tokens."""
    logits = lm.forward(list(example.ids)).logits.astype(np.float64)  # (T, V)
    logp = logits - logits.max(-1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(-1, keepdims=True))
    losses = [
        -logp[t, example.ids[t + 1]] for t in range(len(example.ids) - 1) if example.trained[t + 1]
    ]
    return float(np.mean(losses))


def test_training_data_is_read_as_documented(in_store, tmp_path):
    lm, _ = in_store
    data = _data(lm, tmp_path, FACT)
    e = data.examples[0]
    body = lm.encode(" blue", special=False, continues=True)
    assert list(e.ids[-len(body) :]) == body and e.loss_tokens == len(body)
    assert not any(e.trained[: -len(body)])
    chat = chat_example(
        lm, [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
    )
    learnt = [lm.token_text(i) for i, on in zip(chat.ids, chat.trained, strict=True) if on]
    assert "".join(learnt).startswith("yo") and learnt[-1] == "<|im_end|>"
    text = tmp_path / "notes.txt"
    text.write_text("one passage\nstill one\n\nanother passage\n", encoding="utf-8")
    passages = read_training_data(lm, text).examples
    assert len(passages) == 2 and passages[0].loss_tokens == len(passages[0].ids) - 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no examples"),
        ('{"prompt": "a", "completion": "b"}\n{not json}', "line 2: not JSON"),
        ('{"prompt": "a"}', "line 1: expected"),
        ('{"prompt": "a", "completion": "  "}', 'line 1: "completion" is empty'),
        ('{"messages": [{"role": "user", "content": "hi"}]}', "line 1: no assistant message"),
        ('{"messages": [{"role": "robot", "content": "hi"}]}', 'line 1: "messages" must be'),
    ],
)
def test_bad_training_data_says_which_line_and_why(in_store, tmp_path, content, message):
    lm, _ = in_store
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlaygroundError, match=message):
        read_training_data(lm, path)


def test_a_long_example_is_cut_and_said(in_store, tmp_path):
    lm, _ = in_store
    data = _data(lm, tmp_path, [{"prompt": "", "completion": "the cat " * 200}])
    assert len(data.examples[0].ids) == MAX_EXAMPLE_TOKENS
    assert f"only its first {MAX_EXAMPLE_TOKENS} are used" in data.notices[0]


def test_gradients_match_finite_differences(in_store, tmp_path):
    import jax
    import jax.numpy as jnp

    from playground.engine.finetune.jax_model import stack_weights, token_loss
    from playground.engine.finetune.trainer import (
        _rows,
        base_weights,
        initial_adapters,
        layer_scales,
    )

    lm, _ = in_store
    jax.config.update("jax_enable_x64", True)
    try:
        settings = LoraSettings(rank=2, targets=("q", "v", "down"), seed=3)
        data = _data(lm, tmp_path, FACT)
        weights = {
            k: jnp.asarray(v, jnp.float64)
            for k, v in stack_weights(lm.arch, base_weights(lm)).items()
        }
        rng = np.random.default_rng(0)
        params: dict = {}
        for name, value in initial_adapters(lm, settings).items():
            kind, part = name.rsplit(".", 1)  # B random too, so every gradient is non-zero
            params.setdefault(kind, {})[part] = jnp.asarray(
                value + 0.05 * rng.normal(size=value.shape)
            )
        width = max(len(e.ids) for e in data.examples)
        ids, rows, targets = (jnp.asarray(x) for x in _rows(data.examples, width))
        batch = (ids, rows, targets, jnp.ones(rows.shape, jnp.float64))
        scales = jnp.asarray(layer_scales(lm, settings), jnp.float64)

        @jax.jit  # compiled once for the 36 bumped evaluations below
        def loss(p):
            return token_loss(lm.arch, weights, p, scales, batch)

        grads = jax.grad(loss)(params)
        eps = 1e-6
        for kind in params:
            for part in ("a", "b"):
                for index in [(0, 0, 1), (1, 1, 0), (1, 0, 3)]:
                    index = tuple(
                        i % s for i, s in zip(index, params[kind][part].shape, strict=True)
                    )
                    bumped = [
                        {
                            k: {
                                q: v.at[index].add(sign * eps) if (k, q) == (kind, part) else v
                                for q, v in d.items()
                            }
                            for k, d in params.items()
                        }
                        for sign in (1, -1)
                    ]
                    numeric = (loss(bumped[0]) - loss(bumped[1])) / (2 * eps)
                    assert float(grads[kind][part][index]) == pytest.approx(
                        float(numeric), rel=1e-5, abs=1e-9
                    )
    finally:
        jax.config.update("jax_enable_x64", False)


def test_a_tiny_model_learns_a_fact_and_the_variant_is_the_merged_model(in_store, tmp_path, store):
    lm, gguf = in_store
    _, _, base_folder = store
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in base_folder.iterdir()}
    data = _data(lm, tmp_path, FACT)
    check = plain_example(lm, "your cat is", " blue")
    settings = LoraSettings(steps=25, learning_rate=1e-2, seed=1)
    result = train(lm, data, settings, check)
    # step 0 is the base model: its loss is the engine's own cross-entropy of the data
    engine = np.mean([_cross_entropy(lm, e) * e.loss_tokens for e in data.examples]) / np.mean(
        [e.loss_tokens for e in data.examples]
    )
    assert result.initial_loss == pytest.approx(engine, rel=1e-4)
    assert result.final_loss < 0.2 * result.initial_loss
    assert result.check_probs[-1] > 2 * result.check_probs[0]  # the held-out phrasing
    again = train(lm, data, settings, check)  # seeded: the same adapters
    assert again.losses == result.losses

    folder = save_variant(lm, "tiny-blue", result, data)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in base_folder.iterdir()}
    assert after == before  # the base bundle, byte for byte
    variant = LanguageModel(folder)
    assert variant.info.variant_base == "tiny" and variant.decode_session is None
    from playground.commands.bench.suite import model_costs

    costs = model_costs(variant)  # the bench runs a variant too (on its base's weights)
    assert costs["decode_weight_bytes_per_token"] == costs["weight_bytes_per_token"] > 0
    # the variant's forward = the numpy reference with every adapted matrix merged
    ref = ReferenceModel(gguf)
    scale = settings.scale
    for name, (a, b) in result.adapters.items():
        delta = scale * (b.astype(np.float64) @ a.astype(np.float64))  # (out, in), HF rows
        if name.endswith(("attn_q", "attn_k")):
            heads = lm.arch.n_head if name.endswith("attn_q") else lm.arch.n_head_kv
            delta = permute_for_llama_cpp(delta, heads)  # the GGUF keeps llama.cpp's rows
        ref.w[f"{name}.weight"] += delta
    ids = list(check.ids)
    np.testing.assert_allclose(variant.forward(ids).logits, ref.forward(ids).logits, atol=2e-3)
    tokens = variant.forward(ids[:3])
    extended = variant.extend(tokens, [ids[3]])  # a generated token: the analysis graph too
    np.testing.assert_allclose(extended.logits[-1], ref.forward(ids[:4]).logits[-1], atol=2e-3)
    changes = weight_change(lm, result)
    assert len(changes) == len(result.adapters) and all(c["relative"] > 0 for c in changes)


def test_a_second_training_compiles_nothing(in_store, tmp_path):
    """The step, the loss and the next-token forward are compiled once per model and batch
    shape for the process: another learning rate is the same compiled step (read from
    the optimizer's state), and its effect is real."""
    from playground.engine.finetune.compiled import batch_loss, next_token_log_probs, training_step

    lm, _ = in_store
    data = _data(lm, tmp_path, FACT)
    check = plain_example(lm, "your cat is", " blue")
    first = train(lm, data, LoraSettings(steps=3), check)
    compiled = [f._cache_size() for f in (training_step, batch_loss, next_token_log_probs)]
    second = train(lm, data, LoraSettings(steps=3, learning_rate=1e-2), check)
    assert [f._cache_size() for f in (training_step, batch_loss, next_token_log_probs)] == compiled
    assert second.losses[0] == first.losses[0]  # step 0: the base model in both
    assert second.losses[2] < first.losses[2]  # ten times the learning rate


def test_compiled_steps_are_kept_in_the_store(in_store):
    """Unless JAX_COMPILATION_CACHE_DIR says otherwise (the tests share one folder), JAX's
    compilation cache is the store's hidden .compiled folder (models list skips it)."""
    import jax

    from playground.engine.finetune.compiled import CACHE_FOLDER, use_compilation_cache
    from playground.engine.store.folders import store_root

    chosen = jax.config.jax_compilation_cache_dir
    try:
        jax.config.update("jax_compilation_cache_dir", None)
        use_compilation_cache()
        assert jax.config.jax_compilation_cache_dir == str(store_root() / CACHE_FOLDER)
        assert CACHE_FOLDER.startswith(".")
    finally:
        jax.config.update("jax_compilation_cache_dir", chosen)


def test_names_are_checked_before_training(in_store, tmp_path):
    from playground.engine.finetune.saving import checked_name, delete_variant

    lm, _ = in_store
    with pytest.raises(PlaygroundError, match="converted model"):
        checked_name("tiny", force=True)
    with pytest.raises(PlaygroundError, match="cannot name"):
        checked_name("Not A Name!", force=False)
    data = _data(lm, tmp_path, FACT)
    result = train(lm, data, LoraSettings(steps=1))
    save_variant(lm, "tiny-once", result, data)
    with pytest.raises(PlaygroundError, match="exists"):
        save_variant(lm, "tiny-once", result, data)
    save_variant(lm, "tiny-once", result, data, force=True)  # replaced
    delete_variant("tiny-once")
    with pytest.raises(PlaygroundError, match="no variant"):
        delete_variant("tiny-once")


def test_a_disk_that_fills_leaves_nothing_half_written(in_store, tmp_path, store, monkeypatch):
    from playground.engine.model import variant

    lm, _ = in_store
    root, _, _ = store
    data = _data(lm, tmp_path, FACT)
    result = train(lm, data, LoraSettings(steps=1))

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(variant.np, "savez", full_disk)
    with pytest.raises(PlaygroundError, match=r"could not be written \(No space left on device"):
        save_variant(lm, "tiny-full", result, data)
    assert not (root / "tiny-full").exists()
    assert not any((root / ".tmp").glob("finetune-tiny-full-*"))  # the scratch is removed


def test_stop_keeps_the_steps_done(in_store, tmp_path):
    import threading

    lm, _ = in_store
    stop = threading.Event()
    data = _data(lm, tmp_path, FACT)

    def report(step) -> None:
        if step.step == 3:
            stop.set()  # Stop pressed during step 3: it ends after it

    result = train(lm, data, LoraSettings(steps=10), report=report, stop=stop)
    assert result.stopped and len(result.losses) == 3
