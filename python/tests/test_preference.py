"""Preference tuning (method dpo and orpo): reading both preference formats, the losses against hand-computed values,
real tiny runs that learn to prefer the chosen responses, resume, and the method/data/packing checks."""

import json
import math
import os
import shutil
from pathlib import Path

import pytest
import torch
from brightrun_trainer.data.formats import read_dataset
from brightrun_trainer.data.preference import collate_pairs, tokenize_pairs
from brightrun_trainer.data.tokenize import IGNORE, ensure_chat_template
from brightrun_trainer.preference_loss import dpo_terms, orpo_terms, preference_settings
from conftest import base_config, make_run, of_type, read_events, run_train, write_jsonl


def addition_pairs(n: int):
    """Pairs whose responses have the same shape and length and differ only in the sum, so a random base model has
    no length or style preference: only learning the sums makes it prefer the chosen ones."""
    rows = []
    for i in range(n):
        a, b = i % 9 + 1, (i * 5) % 9 + 1
        rows.append({"prompt": f"What is {a} plus {b}?", "chosen": f"{a} plus {b} is {a + b}.", "rejected": f"{a} plus {b} is {a + b + 1 + i % 3}."})
    return rows


# ---- the formats ----


def test_both_preference_formats_read_into_a_prompt_and_two_responses(tmp_path):
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl",
        [
            {"prompt": "Hi?", "chosen": "Hello.", "rejected": "Go away."},
            # Messages, with the prompt repeated in front of each response (a common export): only the response is kept.
            {
                "prompt": [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "Hi?"}],
                "chosen": [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}],
                "rejected": [{"role": "assistant", "content": "Go away."}],
            },
        ],
    )
    fmt, examples = read_dataset(pairs)
    assert fmt == "pairs"
    for ex in examples:
        assert ex.messages[-1] == {"role": "user", "content": "Hi?"}
        assert ex.chosen == [{"role": "assistant", "content": "Hello."}]
        assert ex.rejected == [{"role": "assistant", "content": "Go away."}]
    assert examples[1].messages[0]["role"] == "system"

    openai = write_jsonl(
        tmp_path / "openai.jsonl",
        [
            {
                "input": {"messages": [{"role": "user", "content": "Hi?"}]},
                "preferred_output": [{"role": "assistant", "content": "Hello."}],
                "non_preferred_output": [{"role": "assistant", "content": "Go away."}],
            }
        ],
    )
    fmt, examples = read_dataset(openai)
    assert fmt == "openai-preference"
    assert (examples[0].messages, examples[0].chosen, examples[0].rejected) == (
        [{"role": "user", "content": "Hi?"}],
        [{"role": "assistant", "content": "Hello."}],
        [{"role": "assistant", "content": "Go away."}],
    )


@pytest.mark.parametrize(
    "row, message",
    [
        ({"prompt": "Hi?", "chosen": "Hello.", "rejected": [{"role": "user", "content": "x"}]}, "'rejected' must end with an assistant message"),
        ({"prompt": 3, "chosen": "a", "rejected": "b"}, "'prompt' must be a string or a list of messages"),
        (
            {"input": {"messages": [{"role": "user", "content": "Hi?"}]}, "preferred_output": [{"role": "assistant", "content": "a"}]},
            "'non_preferred_output' is missing",
        ),
    ],
)
def test_a_broken_pair_names_its_line_and_what_is_wrong(tmp_path, row, message):
    from brightrun_trainer.errors import DataError

    path = write_jsonl(tmp_path / "bad.jsonl", [{"prompt": "ok?", "chosen": "a", "rejected": "b"}, row] if "prompt" in row else [row])
    with pytest.raises(DataError) as info:
        read_dataset(path)
    assert message in info.value.message
    assert info.value.line == (2 if "prompt" in row else 1)


def test_labels_cover_only_the_response_and_chosen_and_rejected_share_the_prompt(tiny_model, tmp_path):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model)
    ensure_chat_template(tok)
    _, examples = read_dataset(write_jsonl(tmp_path / "p.jsonl", [{"prompt": "What is 2 plus 2?", "chosen": "Four.", "rejected": "Five!"}]))
    (pair,), report = tokenize_pairs(tok, examples, 128, "truncate", "p.jsonl")
    prompt = tok.apply_chat_template([{"role": "user", "content": "What is 2 plus 2?"}], tokenize=False, add_generation_prompt=True)
    assert report.kept == 1 and report.tokens == len(pair.chosen.input_ids) + len(pair.rejected.input_ids)
    for side, answer in ((pair.chosen, "Four."), (pair.rejected, "Five!")):
        trained = [t for t, label in zip(side.input_ids, side.labels) if label != IGNORE]
        assert tok.decode(trained).strip() == answer + tok.eos_token
        first = next(i for i, label in enumerate(side.labels) if label != IGNORE)
        assert tok.decode(side.input_ids[:first]) == prompt  # rendered as the chat template renders it for inference
    shared = next(i for i, label in enumerate(pair.chosen.labels) if label != IGNORE)
    assert pair.chosen.input_ids[:shared] == pair.rejected.input_ids[:shared]
    # One batch: the chosen sequences first, then the rejected, padded to one width.
    batch = collate_pairs([[pair], [pair]], tok.pad_token_id)
    assert batch["input_ids"].shape[0] == 4 and batch["samples"] == 2
    assert batch["input_ids"][0, : len(pair.chosen.input_ids)].tolist() == pair.chosen.input_ids
    assert batch["input_ids"][2, : len(pair.rejected.input_ids)].tolist() == pair.rejected.input_ids


def test_an_over_long_pair_is_truncated_or_dropped_as_a_whole(tiny_model, tmp_path):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model)
    ensure_chat_template(tok)
    _, examples = read_dataset(
        write_jsonl(
            tmp_path / "p.jsonl", [{"prompt": "Hi?", "chosen": "Hello.", "rejected": "word " * 40}, {"prompt": "Hi?", "chosen": "Hello.", "rejected": "Bye."}]
        )
    )
    kept, report = tokenize_pairs(tok, examples, 24, "drop", "p.jsonl")
    assert [p.line for p in kept] == [2] and report.dropped == 1
    kept, report = tokenize_pairs(tok, examples, 24, "truncate", "p.jsonl")
    assert [p.line for p in kept] == [1, 2] and report.truncated == 1
    assert len(kept[0].rejected.input_ids) == 24 and len(kept[0].chosen.input_ids) < 24


# ---- the losses, against values computed by hand from given log-probs ----


def _t(*values):
    return torch.tensor(values, dtype=torch.float64)


def test_dpo_losses_equal_hand_computed_values():
    # Two pairs: policy (pc, pr), reference (rc, rr) summed log-probs, and response lengths.
    pc, pr, rc, rr = _t(-10.0, -20.0), _t(-14.0, -18.0), _t(-12.0, -19.0), _t(-13.0, -19.5)
    cc, cr = _t(5, 10), _t(7, 9)
    beta = 0.1
    logits = [(-10 + 14) - (-12 + 13), (-20 + 18) - (-19 + 19.5)]  # [3.0, -2.5]

    def sig(x):
        return 1 / (1 + math.exp(-x))

    sigmoid = dpo_terms(pc, pr, rc, rr, cc, cr, beta, "sigmoid", 0.0)
    assert sigmoid.loss.tolist() == pytest.approx([-math.log(sig(beta * z)) for z in logits], abs=1e-12)
    assert sigmoid.reward_chosen.tolist() == pytest.approx([0.1 * 2.0, 0.1 * -1.0], abs=1e-12)
    assert sigmoid.reward_rejected.tolist() == pytest.approx([0.1 * -1.0, 0.1 * 1.5], abs=1e-12)

    smoothed = dpo_terms(pc, pr, rc, rr, cc, cr, beta, "sigmoid", 0.2)
    assert smoothed.loss.tolist() == pytest.approx([-0.8 * math.log(sig(beta * z)) - 0.2 * math.log(sig(-beta * z)) for z in logits], abs=1e-12)

    hinge = dpo_terms(pc, pr, rc, rr, cc, cr, beta, "hinge", 0.0)
    assert hinge.loss.tolist() == pytest.approx([max(0.0, 1 - beta * z) for z in logits], abs=1e-12)

    # IPO works on per-token averages: ((pc/cc - pr/cr) - (rc/cc - rr/cr) - 1/(2 beta))^2.
    ipo = dpo_terms(pc, pr, rc, rr, cc, cr, beta, "ipo", 0.0)
    ipo_logits = [(-10 / 5 + 14 / 7) - (-12 / 5 + 13 / 7), (-20 / 10 + 18 / 9) - (-19 / 10 + 19.5 / 9)]
    assert ipo.loss.tolist() == pytest.approx([(z - 5.0) ** 2 for z in ipo_logits], abs=1e-12)


def test_orpo_loss_equals_hand_computed_value():
    pc, pr, cc, cr = _t(-6.0, -3.0), _t(-9.0, -2.0), _t(4, 3), _t(3, 4)
    lam = 0.25
    expected_loss, expected_odds = [], []
    for c, r, nc, nr in ((-6.0, -9.0, 4, 3), (-3.0, -2.0, 3, 4)):
        mc, mr = c / nc, r / nr
        log_odds = (mc - math.log(1 - math.exp(mc))) - (mr - math.log(1 - math.exp(mr)))
        expected_odds.append(log_odds)
        expected_loss.append(-mc + lam * -math.log(1 / (1 + math.exp(-log_odds))))
    terms = orpo_terms(pc, pr, cc, cr, lam)
    assert terms.loss.tolist() == pytest.approx(expected_loss, abs=1e-12)
    assert terms.log_odds_ratio.tolist() == pytest.approx(expected_odds, abs=1e-12)
    assert terms.reward_chosen.tolist() == pytest.approx([lam * -1.5, lam * -1.0], abs=1e-12)


def test_orpo_stays_finite_when_a_response_is_almost_certain():
    terms = orpo_terms(_t(-1e-9, -50.0), _t(-40.0, -1e-12), _t(3, 3), _t(3, 3), 0.1)
    assert torch.isfinite(terms.loss).all() and torch.isfinite(terms.log_odds_ratio).all()


def test_settings_defaults_come_from_the_schema():
    assert preference_settings(None) == {"beta": 0.1, "lossType": "sigmoid", "labelSmoothing": 0, "lambda": 0.1}
    assert preference_settings({"beta": 0.5})["beta"] == 0.5


# ---- real tiny runs ----


def _preference_run(tmp_path, tiny_model, method, name, **overrides):
    data = write_jsonl(tmp_path / f"{name}-train.jsonl", addition_pairs(24))
    # The same pairs as a validation file: the report then scores the training pairs, before and after.
    shutil.copy(data, tmp_path / f"{name}-same.jsonl")
    # Two short answers are enough of the report's prompt section; the preference block is what is tested.
    evaluation = {**_no_evaluation(), "enabled": True, "max_prompts": 2, "max_new_tokens": 8}
    cfg = base_config(
        tiny_model,
        data,
        method=method,
        validation_file=str(tmp_path / f"{name}-same.jsonl"),
        validation_split=0.0,
        epochs=5,
        learning_rate=0.005,
        evaluation=evaluation,
        **overrides,
    )
    run_dir = make_run(tmp_path, name, cfg)
    result = run_train(run_dir, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with open(os.path.join(run_dir, "adapter", "eval.json"), encoding="utf-8") as f:
        return run_dir, read_events(run_dir), json.load(f)


@pytest.mark.parametrize("method", ["dpo", "orpo"])
def test_a_preference_run_learns_to_prefer_the_chosen_responses(tiny_model, tmp_path, method):
    # ORPO with a weight of 1 on its odds-ratio term (its default 0.1 leaves it mostly SFT: too slow a signal here).
    extra = {"preference": {**preference_settings(None), "lambda": 1.0}} if method == "orpo" else {}
    run_dir, events, report = _preference_run(tmp_path, tiny_model, method, method, **extra)
    metrics = of_type(events, "metrics")
    for m in metrics:
        assert {"logps_chosen", "logps_rejected", "reward_chosen", "reward_rejected", "reward_margin", "preference_accuracy"} <= set(m)
        assert ("log_odds_ratio" in m and "or_loss" in m) == (method == "orpo")
    first, last = metrics[:5], metrics[-5:]  # batches of 4 pairs: a mean over 5 steps

    def mean(rows, key):
        return sum(r[key] for r in rows) / len(rows)

    if method == "dpo":
        assert mean(last, "reward_margin") > mean(first, "reward_margin") + 1.0
    else:
        assert mean(last, "log_odds_ratio") > mean(first, "log_odds_ratio") + 0.25
        assert mean(last, "or_loss") < mean(first, "or_loss")
    assert mean(last, "preference_accuracy") >= 0.8 > mean(first, "preference_accuracy")
    assert mean(last, "loss") < mean(first, "loss")
    evals = of_type(events, "eval")
    assert evals[-1]["preference_accuracy"] >= 0.8
    # The report: on the same pairs, the adapter prefers the chosen responses far more often than the base did.
    pref = report["preference"]
    assert pref["pairs"] == 24
    assert pref["adapter"]["accuracy"] >= 0.85 and pref["adapter"]["accuracy"] >= pref["base"]["accuracy"] + 0.15
    assert pref["adapter"]["margin"] > 2 * pref["base"]["margin"]
    assert pref["reward"]["accuracy"] >= 0.9 and pref["reward"]["margin"] > 0
    with open(os.path.join(run_dir, "adapter", "EVAL.md"), encoding="utf-8") as f:
        assert "Preference accuracy (24 pairs)" in f.read()
    with open(os.path.join(run_dir, "adapter", "README.md"), encoding="utf-8") as f:
        card = f.read()
    assert f'"method": "{method}"' in card and ('"preference.lambda": 1.0' in card if method == "orpo" else '"preference.beta": 0.1' in card)


def test_dpo_resume_reproduces_the_uninterrupted_run(tiny_model, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", addition_pairs(16))
    cfg = base_config(
        tiny_model, data, method="dpo", validation_split=0.25, max_steps=6, save_every=3, eval_every=3, lora={"dropout": 0.05}, evaluation=_no_evaluation()
    )
    whole = make_run(tmp_path, "whole", cfg)
    assert run_train(whole, timeout=900).returncode == 0
    second = tmp_path / "resumed"
    (second / "checkpoints").mkdir(parents=True)
    shutil.copy(os.path.join(whole, "config.json"), second / "config.json")
    shutil.copytree(os.path.join(whole, "checkpoints", "checkpoint-3"), second / "checkpoints" / "checkpoint-3")
    result = run_train(str(second), "--resume", timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    original = {e["step"]: e for e in of_type(read_events(whole), "metrics")}
    after = of_type(read_events(str(second)), "metrics")
    assert [e["step"] for e in after] == [4, 5, 6]
    for e in after:
        for key in ("loss", "reward_margin", "logps_chosen", "logps_rejected", "preference_accuracy"):
            assert e[key] == pytest.approx(original[e["step"]][key], abs=1e-5), key
    assert of_type(read_events(str(second)), "eval")[-1]["eval_loss"] == pytest.approx(of_type(read_events(whole), "eval")[-1]["eval_loss"], abs=1e-5)


def test_gradient_checkpointing_gives_the_same_dpo_losses(tiny_model, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", addition_pairs(8))
    losses = {}
    for checkpointing in (False, True):
        cfg = base_config(tiny_model, data, method="dpo", validation_split=0.0, max_steps=3, gradient_checkpointing=checkpointing, evaluation=_no_evaluation())
        run_dir = make_run(tmp_path, f"gc-{checkpointing}", cfg)
        result = run_train(run_dir, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        losses[checkpointing] = [e["loss"] for e in of_type(read_events(run_dir), "metrics")]
    assert losses[True] == pytest.approx(losses[False], abs=1e-5)
    assert losses[False][-1] < losses[False][0]


def _no_evaluation():
    from brightrun_trainer.evaluation.gates import default_evaluation

    return {**default_evaluation(), "enabled": False}


@pytest.mark.parametrize(
    "method, rows, overrides, expect",
    [
        ("dpo", "chat", {}, "trains on preference pairs"),
        ("sft", "pairs", {}, "which method sft cannot train on"),
        ("orpo", "pairs", {"packing": True}, "needs packing off"),
    ],
)
def test_a_method_that_does_not_fit_gives_a_config_error(tiny_model, tmp_path, method, rows, overrides, expect):
    from conftest import addition_chat

    data = write_jsonl(tmp_path / "train.jsonl", addition_pairs(8) if rows == "pairs" else addition_chat(8))
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data, method=method, **overrides))
    assert run_train(run_dir).returncode == 1
    error = of_type(read_events(run_dir), "error")[0]
    assert error["kind"] == "config" and expect in error["message"] and error["hint"]


def test_two_processes_train_dpo_through_the_ddp_path_of_sft(tiny_model, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", addition_pairs(20))
    cfg = base_config(tiny_model, data, method="dpo", num_gpus=2, epochs=1, eval_every=2, validation_split=0.2, evaluation=_no_evaluation())
    run_dir = make_run(tmp_path, "run", cfg)
    result = run_train(run_dir, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    events = read_events(run_dir)
    [plan] = of_type(events, "plan")
    assert plan["device"].endswith("x2") and plan["train_examples"] == 16
    metrics = of_type(events, "metrics")
    assert len(metrics) == plan["total_steps"] == 2  # 16 pairs, batches of 4, one batch per process per step
    # Accuracy is a share of the pairs of both processes: a multiple of 1/8 per step.
    assert all(abs(m["preference_accuracy"] * 8 - round(m["preference_accuracy"] * 8)) < 1e-9 for m in metrics)
    assert metrics[0]["loss"] == pytest.approx(math.log(2), abs=1e-4)  # adapter starts as the reference: ln 2
    assert of_type(events, "eval")[-1]["preference_accuracy"] is not None and events[-1]["state"] == "completed"


def test_eval_of_a_pairs_file_is_the_loss_of_its_chosen_responses(tiny_model, tmp_path, capsys):
    from brightrun_trainer.cli import main

    rows = addition_pairs(6)
    pairs = write_jsonl(tmp_path / "pairs.jsonl", rows)
    chat = write_jsonl(
        tmp_path / "chat.jsonl", [{"messages": [{"role": "user", "content": r["prompt"]}, {"role": "assistant", "content": r["chosen"]}]} for r in rows]
    )
    losses = []
    for file in (pairs, chat):
        assert main(["eval", "--base-model", tiny_model, "--file", file, "--max-seq-len", "64"]) == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
        losses.append([line for line in lines if "seq" not in line][-1]["eval_loss"])
    assert losses[0] == pytest.approx(losses[1], rel=1e-6)


def test_sigterm_during_dpo_checkpoints_and_cancels(tiny_model, tmp_path):
    import signal
    import subprocess
    import time

    from conftest import train_cmd

    data = write_jsonl(tmp_path / "train.jsonl", addition_pairs(16))
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data, method="dpo", max_steps=100000, validation_split=0.0))
    proc = subprocess.Popen(train_cmd(run_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    events_path = os.path.join(run_dir, "events.jsonl")
    while proc.poll() is None:
        if os.path.exists(events_path) and '"type":"metrics"' in Path(events_path).read_text(encoding="utf-8"):
            proc.send_signal(signal.SIGTERM)
            break
        time.sleep(0.05)
    assert proc.wait(timeout=120) == 0
    events = read_events(run_dir)
    last_metrics = of_type(events, "metrics")[-1]
    assert "reward_margin" in last_metrics
    assert of_type(events, "checkpoint")[-1]["step"] == last_metrics["step"]
    assert events[-1]["type"] == "done" and events[-1]["state"] == "cancelled"
