"""Held-out preference scores of a preference run: how often, and by how much, each model prefers the chosen response.

- base: the base model's own preference, log p(chosen) - log p(rejected) (summed over response tokens);
- adapter: the same with the adapter;
- reward: the adapter's implicit reward margin against the base (DPO's view): (adapter - base) log-prob of chosen
  minus the same of rejected. A pair counts as preferred when its margin is above 0.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..data.batching import epoch_batches
from ..data.preference import TokenizedPair, collate_pairs, pair_rows
from ..loss import CausalLMLoss
from .measure import _autocast, with_adapter


@torch.no_grad()
def _logps(model, pairs: list[TokenizedPair], pad_id: int, rt, batch_size: int, should_stop) -> torch.Tensor | None:
    """[pairs, 2] summed log-probs (chosen, rejected) of every pair, or None when stopped."""
    scorer = CausalLMLoss(model)
    model.eval()
    out = []
    for batch in epoch_batches(pair_rows(pairs), batch_size, 0, 0, shuffle=False):
        if should_stop():
            return None
        c = collate_pairs(batch, pad_id)
        with _autocast(rt):
            logps, _ = scorer.sequence_logps(
                **{k: (c[k].to(rt.device) if c[k] is not None else None) for k in ("input_ids", "labels", "attention_mask", "position_ids")}
            )
        n = len(batch)
        out.append(torch.stack([logps[:n], logps[n:]], dim=1).double().cpu())
    return torch.cat(out) if out else None


def _scores(margins: torch.Tensor | None) -> dict:
    if margins is None or not len(margins):
        return {"accuracy": None, "margin": None}
    return {"accuracy": float((margins > 0).double().mean()), "margin": float(margins.mean())}


def preference_scores(model, pairs: list[TokenizedPair], pad_id: int, rt, batch_size: int = 4, should_stop: Callable[[], bool] = lambda: False) -> dict:
    """The report's "preference" block (src/contracts/evalReport.ts)."""
    with with_adapter(model, False):
        base = _logps(model, pairs, pad_id, rt, batch_size, should_stop)
    adapter = _logps(model, pairs, pad_id, rt, batch_size, should_stop)
    base_margin = None if base is None else base[:, 0] - base[:, 1]
    adapter_margin = None if adapter is None else adapter[:, 0] - adapter[:, 1]
    reward = None if base_margin is None or adapter_margin is None else adapter_margin - base_margin
    return {"pairs": len(pairs), "base": _scores(base_margin), "adapter": _scores(adapter_margin), "reward": _scores(reward)}
