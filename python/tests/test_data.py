"""Dataset formats -> chat messages -> template -> tokens with assistant-only labels; packing keeps examples apart."""

import json
import os

import pytest
import torch
from brightrun_trainer.data.batching import collate, make_rows
from brightrun_trainer.data.formats import read_dataset
from brightrun_trainer.data.tokenize import FALLBACK_CHAT_TEMPLATE, IGNORE, ensure_chat_template, tokenize_examples
from brightrun_trainer.errors import DataError
from brightrun_trainer.model import load_tokenizer
from conftest import SAMPLES, write_jsonl


@pytest.fixture(scope="module")
def tokenizer(tiny_model):
    return load_tokenizer(tiny_model)


def trained_text(tokenizer, item):
    return tokenizer.decode([t for t, l in zip(item.input_ids, item.labels) if l != IGNORE])


def test_every_format_becomes_the_same_chat(tmp_path):
    rows = {
        "openai-chat": {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}]},
        "sharegpt": {"conversations": [{"from": "system", "value": "S"}, {"from": "human", "value": "Q"}, {"from": "gpt", "value": "A"}]},
        "alpaca": {"system": "S", "instruction": "Q", "output": "A"},
    }
    for name, row in rows.items():
        fmt, [ex] = read_dataset(write_jsonl(tmp_path / f"{name}.jsonl", [row]))
        assert fmt == name
        assert [(m["role"], m["content"]) for m in ex.messages] == [("system", "S"), ("user", "Q"), ("assistant", "A")]
    fmt, [ex] = read_dataset(write_jsonl(tmp_path / "pc.jsonl", [{"prompt": "Q", "completion": "A"}]))
    assert fmt == "prompt-completion" and ex.messages[-1] == {"role": "assistant", "content": "A"}
    fmt, [ex] = read_dataset(write_jsonl(tmp_path / "t.jsonl", [{"text": "plain"}]))
    assert fmt == "text" and ex.text == "plain"


def test_bundled_samples_all_read(tokenizer):
    for name in ("chat-train", "chat-val", "sharegpt", "alpaca", "prompt-completion", "text"):
        path = os.path.join(SAMPLES, f"{name}.jsonl")
        _, examples = read_dataset(path)
        items, report = tokenize_examples(tokenizer, examples, 512, "truncate", path)
        assert report.kept == len(examples) and all(i.trained_tokens > 0 for i in items)


def test_labels_cover_only_assistant_turns(tokenizer, tmp_path):
    row = {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "first question"},
            {"role": "assistant", "content": "first answer"},
            {"role": "user", "content": "second question"},
            {"role": "assistant", "content": "skipped answer", "weight": 0},
            {"role": "user", "content": "third question"},
            {"role": "assistant", "content": "third answer"},
        ]
    }
    path = write_jsonl(tmp_path / "c.jsonl", [row])
    _, examples = read_dataset(path)
    [item], _ = tokenize_examples(tokenizer, examples, 512, "truncate", path)
    assert trained_text(tokenizer, item) == "first answer<|im_end|>\nthird answer<|im_end|>\n"
    # The full sequence is exactly what the chat template renders: labels are a mask over it, nothing more.
    assert tokenizer.decode(item.input_ids) == tokenizer.apply_chat_template(row["messages"], tokenize=False)


def test_text_format_trains_on_every_token(tokenizer, tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": "hello world"}])
    _, examples = read_dataset(path)
    [item], _ = tokenize_examples(tokenizer, examples, 512, "truncate", path)
    assert item.labels == item.input_ids and item.input_ids[-1] == tokenizer.eos_token_id


def test_fallback_template_when_tokenizer_has_none(tiny_model, tmp_path):
    tok = load_tokenizer(tiny_model)
    tok.chat_template = None
    assert ensure_chat_template(tok) is True and tok.chat_template == FALLBACK_CHAT_TEMPLATE
    path = write_jsonl(tmp_path / "c.jsonl", [{"prompt": "Q?", "completion": "A!"}])
    _, examples = read_dataset(path)
    [item], _ = tokenize_examples(tok, examples, 512, "truncate", path)
    assert tok.decode(item.input_ids).startswith("### User:\nQ?\n\n### Assistant:\nA!")
    assert trained_text(tok, item) == "A!<|im_end|>\n\n"


def test_overlength_truncate_and_drop_are_counted(tokenizer, tmp_path):
    rows = [{"prompt": "short", "completion": "ok"}, {"prompt": "x", "completion": "long answer " * 40}, {"prompt": "long prompt " * 40, "completion": "y"}]
    path = write_jsonl(tmp_path / "o.jsonl", rows)
    _, examples = read_dataset(path)
    kept, report = tokenize_examples(tokenizer, examples, 32, "truncate", path)
    # The third loses its only answer to truncation: nothing left to learn, so it is dropped, not kept.
    assert (report.kept, report.truncated, report.dropped) == (2, 1, 1)
    assert max(len(i.input_ids) for i in kept) == 32
    _, report = tokenize_examples(tokenizer, examples, 32, "drop", path)
    assert (report.kept, report.truncated, report.dropped) == (1, 0, 2)


@pytest.mark.parametrize(
    "line,bad", [(2, "{not json"), (3, json.dumps({"messages": [{"role": "user", "content": "no answer"}]})), (2, json.dumps({"text": "a different format"}))]
)
def test_bad_line_is_a_data_error_with_its_line(tmp_path, line, bad):
    good = json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]})
    rows = [good] * 3
    rows[line - 1] = bad
    with pytest.raises(DataError) as err:
        read_dataset(write_jsonl(tmp_path / "bad.jsonl", rows))
    assert err.value.line == line and err.value.file.endswith("bad.jsonl")


def test_packing_keeps_examples_apart(tiny_model, tokenizer, tmp_path):
    """The logits of an example packed after others equal its logits alone: no attention across examples."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model, attn_implementation="sdpa").eval()
    rows = [{"prompt": f"question number {i}", "completion": f"answer {i} " * (i + 1)} for i in range(4)]
    path = write_jsonl(tmp_path / "p.jsonl", rows)
    _, examples = read_dataset(path)
    items, _ = tokenize_examples(tokenizer, examples, 128, "truncate", path)
    packed_rows = make_rows(items, 128, packing=True, seed=0)
    assert len(packed_rows) == 1 and len(packed_rows[0]) == 4
    batch = collate(packed_rows, tokenizer.pad_token_id, packing=True)
    with torch.no_grad():
        packed = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits[0]
        offset = 0
        for item in packed_rows[0]:
            alone = model(input_ids=torch.tensor([item.input_ids]), use_cache=False).logits[0]
            n = len(item.input_ids)
            torch.testing.assert_close(packed[offset : offset + n], alone, atol=1e-4, rtol=1e-4)
            offset += n
    # Sanity: without the position reset, the later examples would see the earlier ones and differ.
    with torch.no_grad():
        crossed = model(input_ids=batch["input_ids"], use_cache=False).logits[0]
    last = packed_rows[0][-1]
    assert not torch.allclose(crossed[offset - len(last.input_ids) : offset], packed[offset - len(last.input_ids) : offset], atol=1e-4)
    # The first label of every example is ignored so no example learns to predict the next one.
    starts = [0]
    for item in packed_rows[0][:-1]:
        starts.append(starts[-1] + len(item.input_ids))
    assert all(batch["labels"][0, s].item() == IGNORE for s in starts)
    # And the training loss itself: the packed row's loss is the sum of the examples' losses alone.
    from brightrun_trainer.loss import CausalLMLoss

    loss_mod = CausalLMLoss(model)
    with torch.no_grad():
        packed_sum, packed_n = loss_mod(batch["input_ids"], batch["labels"], None, batch["position_ids"])
        alone = [
            loss_mod(
                **{
                    k: v
                    for k, v in collate([[item]], tokenizer.pad_token_id, packing=False).items()
                    if k in ("input_ids", "labels", "attention_mask", "position_ids")
                }
            )
            for item in packed_rows[0]
        ]
    assert int(packed_n) == sum(int(n) for _, n in alone)
    torch.testing.assert_close(packed_sum, sum(s for s, _ in alone), atol=1e-3, rtol=1e-5)
