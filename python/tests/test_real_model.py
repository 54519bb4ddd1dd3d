"""The embedded default model, SmolLM2-135M-Instruct, as scripts/setup-model.sh leaves it in .cache/models.

It comes as a GGUF; these tests check what the conversion must get right for training and answers to be sound:
the tokenizer's special tokens and chat template, assistant-only labels, greedy answers that make sense, and a
.gguf given directly as base_model.
"""

from __future__ import annotations

import os

import pytest
import torch
from conftest import REPO, require_part

MODEL_DIR = os.path.join(REPO, ".cache", "models", "smollm2-135m-instruct")
GGUF_FILE = os.path.join(REPO, ".cache", "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
SETUP = "bash scripts/setup-model.sh"


@pytest.fixture(scope="module")
def smollm2() -> str:
    require_part(os.path.isfile(os.path.join(MODEL_DIR, "model.safetensors")), "SmolLM2-135M-Instruct in .cache/models", SETUP)
    return MODEL_DIR


@pytest.fixture(scope="module")
def tokenizer(smollm2):
    from brightrun_trainer.model import load_tokenizer

    return load_tokenizer(smollm2)


@pytest.fixture(scope="module")
def model(smollm2):
    from brightrun_trainer.model import choose_runtime, load_base_model

    loaded = load_base_model(smollm2, choose_runtime("auto", torch.device("cpu")), "none")
    loaded.eval()
    return loaded


CONVERSATION = [
    {"role": "user", "content": "Where is my order BW-12345?"},
    {"role": "assistant", "content": "It left our warehouse today."},
    {"role": "user", "content": "Thanks!"},
    {"role": "assistant", "content": "You are welcome."},
]


def test_special_tokens_are_the_models_own(tokenizer):
    assert tokenizer.eos_token == "<|im_end|>"
    assert tokenizer.pad_token_id is not None and tokenizer.pad_token_id != tokenizer.eos_token_id
    # No BOS is added to plain text: the chat template already opens every turn with <|im_start|>.
    assert tokenizer("Hello world").input_ids == tokenizer("Hello world", add_special_tokens=False).input_ids
    assert tokenizer.convert_tokens_to_ids("<|im_start|>") not in tokenizer("Hello world").input_ids


def test_chat_template_round_trips_without_doubled_markers(tokenizer):
    text = tokenizer.apply_chat_template(CONVERSATION, tokenize=False)
    ids = tokenizer(text).input_ids
    start, end = tokenizer.convert_tokens_to_ids(["<|im_start|>", "<|im_end|>"])
    assert ids[0] == start and ids[1] != start
    assert all(not (a == start and b == start) for a, b in zip(ids, ids[1:]))
    # One opening and one closing marker per turn, the template's default system turn included.
    assert ids.count(start) == len(CONVERSATION) + 1 == ids.count(end)
    assert [i for i in ids if i != tokenizer.convert_tokens_to_ids("Ċ")][-1] == end == tokenizer.eos_token_id
    assert tokenizer.decode(ids) == text


def test_assistant_labels_end_with_the_end_of_turn_marker(tokenizer):
    from brightrun_trainer.data.formats import Example
    from brightrun_trainer.data.tokenize import IGNORE, tokenize_examples

    example = Example(line=1, messages=CONVERSATION[:2], train_turns=[False, True], tools=None, text=None)
    [tokenized], _ = tokenize_examples(tokenizer, [example], 256, "truncate", "x.jsonl")
    trained = [t for t in tokenized.labels if t != IGNORE]
    assert tokenizer.decode(trained) == "It left our warehouse today.<|im_end|>\n"
    assert tokenizer.eos_token_id in trained


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What is the capital of France?", "Paris"),
        ("What is the capital of Japan?", "Tokyo"),
        ("What is the opposite of hot?", "cold"),
    ],
)
def test_greedy_answers_are_coherent(tokenizer, model, question, expected):
    inputs = tokenizer.apply_chat_template([{"role": "user", "content": question}], add_generation_prompt=True, return_tensors="pt", return_dict=True)
    with torch.no_grad():
        out = model.generate(**inputs, max_new_tokens=16, do_sample=False, pad_token_id=tokenizer.pad_token_id)
    answer = tokenizer.decode(out[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    assert expected in answer, answer


def test_a_gguf_base_model_is_converted_once_and_cached(smollm2, tmp_path, monkeypatch):
    require_part(os.path.isfile(GGUF_FILE), "the SmolLM2 GGUF file in .cache/models", SETUP)
    from brightrun_trainer import gguf_import
    from brightrun_trainer.model import load_tokenizer, model_source

    monkeypatch.setenv("BRIGHTRUN_HOME", str(tmp_path))
    tokenizer = load_tokenizer(GGUF_FILE)
    [folder] = os.listdir(tmp_path / "models")
    assert folder.startswith("SmolLM2-135M-Instruct.Q4_1-")
    converted = tmp_path / "models" / folder
    with open(converted / "tokenizer.json", encoding="utf-8") as a, open(os.path.join(smollm2, "tokenizer.json"), encoding="utf-8") as b:
        assert a.read() == b.read()
    assert tokenizer.eos_token == "<|im_end|>"

    def no_second_conversion(*_args, **_kwargs):
        raise AssertionError("the cached conversion was not reused")

    monkeypatch.setattr(gguf_import, "import_gguf", no_second_conversion)
    assert model_source(GGUF_FILE) == str(converted)


def test_a_short_lora_run_teaches_the_ticket_format(smollm2, tmp_path):
    """The trainer on the real model, end to end: a few CPU steps on the sample tickets bring the held-out loss
    far below the base model's, and the adapter answers in the house format where the base model does not."""
    import json

    from conftest import base_config, make_run, read_events, run_train, write_jsonl

    tickets = os.path.join(REPO, "samples", "tickets")
    with open(os.path.join(tickets, "tickets-train.jsonl"), encoding="utf-8") as f:
        train = [json.loads(line) for line in f][:60]
    with open(os.path.join(tickets, "tickets-val.jsonl"), encoding="utf-8") as f:
        val = [json.loads(line) for line in f][:8]
    from brightrun_trainer.evaluation.gates import default_evaluation

    evaluation = {**default_evaluation(), "max_prompts": 2, "max_new_tokens": 40}
    config = base_config(
        smollm2,
        write_jsonl(tmp_path / "train.jsonl", train),
        validation_file=write_jsonl(tmp_path / "val.jsonl", val),
        validation_split=0.0,
        max_seq_len=256,
        packing=True,
        batch_size=2,
        learning_rate=1e-3,
        warmup_ratio=0.05,
        evaluation=evaluation,
    )
    run_dir = make_run(tmp_path, "run", config)
    result = run_train(run_dir, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert [e["state"] for e in read_events(run_dir) if e["type"] == "done"] == ["completed"]
    with open(os.path.join(run_dir, "adapter", "eval.json"), encoding="utf-8") as f:
        report = json.load(f)
    assert report["adapter"]["perplexity"] < report["base"]["perplexity"] / 3, (report["base"], report["adapter"])
    metrics = report["metrics"]
    assert metrics["valid_json_rate"]["adapter"] == 1.0 and metrics["valid_json_rate"]["base"] == 0.0, report["prompts"]["items"]


def test_preflight_reads_a_gguf_base_models_size_without_converting_it(tmp_path, monkeypatch):
    require_part(os.path.isfile(GGUF_FILE), "the SmolLM2 GGUF file in .cache/models", SETUP)
    from brightrun_trainer.preflight import collect

    monkeypatch.setenv("BRIGHTRUN_HOME", str(tmp_path))
    report = collect(str(tmp_path), base_model=GGUF_FILE)
    assert [c for c in report["checks"] if c["name"] == "model" and c["status"] != "ok"] == []
    assert 130e6 < report["fit"]["params"] < 140e6
    assert not (tmp_path / "models").exists()
