"""What needs the model: mean token loss on a text set, and greedy answers to prompts.

`model` is a PeftModel; the base model's numbers are measured inside `model.disable_adapter()`, so the base is
never loaded twice.
"""

from __future__ import annotations

import contextlib
import math
from typing import Callable, List, Optional, Tuple

import torch

from ..data.batching import collate, epoch_batches, make_rows
from ..data.tokenize import Tokenized
from ..loss import CausalLMLoss


def _autocast(rt):
    return torch.autocast(rt.device.type, dtype=rt.autocast) if rt.autocast else contextlib.nullcontext()


def with_adapter(model, enabled: bool):
    """A context in which the model answers with the adapter (enabled) or as the bare base model."""
    return contextlib.nullcontext() if enabled else model.disable_adapter()


@torch.no_grad()
def mean_loss(
    model, data: List[Tokenized], pad_id: int, rt, max_len: int, batch_size: int = 4, should_stop: Callable[[], bool] = lambda: False
) -> Tuple[Optional[float], int]:
    """(mean loss over trained tokens, trained tokens); (None, 0) when nothing has a label."""
    loss_mod = CausalLMLoss(model)
    model.eval()
    total, count = 0.0, 0
    for batch in epoch_batches(make_rows(data, max_len, False, 0), batch_size, 0, 0, shuffle=False):
        if should_stop():
            break
        c = collate(batch, pad_id, False)
        with _autocast(rt):
            s, n = loss_mod(**{k: (c[k].to(rt.device) if c[k] is not None else None) for k in ("input_ids", "labels", "attention_mask", "position_ids")})
        total, count = total + float(s), count + int(n)
    return (total / count, count) if count else (None, 0)


def perplexity_of(loss: Optional[float]) -> Optional[float]:
    return None if loss is None else math.exp(min(loss, 700.0))


@torch.no_grad()
def answer(model, tokenizer, rt, messages, tools, max_new_tokens: int, seed: int) -> str:
    """Greedy, seeded answer to a conversation that ends before an assistant turn."""
    kwargs = {"tools": tools} if tools else {}
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True, **kwargs)
    inputs = tokenizer(text, return_tensors="pt", add_special_tokens=False, return_token_type_ids=False).to(rt.device)
    torch.manual_seed(seed)
    with _autocast(rt):
        out = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
    return tokenizer.decode(out[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True).strip()
