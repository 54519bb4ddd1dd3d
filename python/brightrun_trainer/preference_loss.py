"""Preference losses (DPO, ORPO) in the trainer's own loop.

A batch holds B chosen sequences then B rejected ones (data/preference.py). The policy is the base model with the
adapter; DPO's reference is the same base model with the adapter switched off (peft's disable_adapter()), so no
second copy of the model is held. The formulas follow the papers and TRL's implementations:

- DPO (Rafailov et al. 2023): logits = (pc - pr) - (rc - rr) over summed response log-probs;
  sigmoid: -(1 - e) log s(beta logits) - e log s(-beta logits) (e: label smoothing, conservative DPO);
  ipo (Azar et al. 2023): (logits - 1 / (2 beta))^2 on length-normalised log-probs; hinge (SLiC): relu(1 - beta logits).
  Rewards: beta (policy - reference) log-prob of each response.
- ORPO (Hong et al. 2024): -mean log p(chosen) + lambda * -log s(log odds(chosen) - log odds(rejected)), where
  odds(y) = p / (1 - p) over the mean token log-prob; no reference model. Rewards: lambda x mean log-prob (as TRL).

Every function returns per-pair values; the loop sums them and divides by the pairs of the accumulation window.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F

from .loss import CausalLMLoss
from .schema_check import load_schema

PREFERENCE_METHODS = ("dpo", "orpo")
# The sums the loss module returns beside the loss, in this order; the loop turns them into metrics (means per pair).
STAT_NAMES = ("logps_chosen", "logps_rejected", "reward_chosen", "reward_rejected", "correct", "log_odds_ratio", "or_loss")


class PairTerms(NamedTuple):
    loss: torch.Tensor
    reward_chosen: torch.Tensor
    reward_rejected: torch.Tensor
    log_odds_ratio: torch.Tensor
    or_loss: torch.Tensor


def preference_settings(raw) -> dict[str, object]:
    """config.json's "preference" (a dict or the loaded namespace; possibly absent) with the schema's defaults."""
    spec = load_schema("config.schema.json")["properties"]["preference"]["properties"]
    settings = {k: v["default"] for k, v in spec.items() if "default" in v}
    if raw is not None:
        settings.update(raw if isinstance(raw, dict) else vars(raw))
    return settings


def dpo_terms(pc, pr, rc, rr, count_c, count_r, beta: float, loss_type: str, label_smoothing: float) -> PairTerms:
    """Per-pair DPO loss and rewards from policy (pc, pr) and reference (rc, rr) summed log-probs."""
    if loss_type == "ipo":  # IPO compares average per-token log-probs
        pc, pr, rc, rr = pc / count_c, pr / count_r, rc / count_c, rr / count_r
    logits = (pc - pr) - (rc - rr)
    if loss_type == "sigmoid":
        loss = -F.logsigmoid(beta * logits) * (1 - label_smoothing) - F.logsigmoid(-beta * logits) * label_smoothing
    elif loss_type == "ipo":
        loss = (logits - 1 / (2 * beta)) ** 2
    elif loss_type == "hinge":
        loss = torch.relu(1 - beta * logits)
    else:
        raise ValueError(f"unknown DPO loss type {loss_type!r}")
    zero = torch.zeros_like(loss)
    return PairTerms(loss, beta * (pc - rc).detach(), beta * (pr - rr).detach(), zero, zero)


def _log1m_exp(x: torch.Tensor) -> torch.Tensor:
    """log(1 - exp(x)) for x < 0, accurate near 0 and for very negative x."""
    x = torch.clamp(x, max=-1e-7)
    return torch.where(x > -math.log(2), torch.log(-torch.expm1(x)), torch.log1p(-torch.exp(x)))


def orpo_terms(pc, pr, count_c, count_r, lam: float) -> PairTerms:
    """Per-pair ORPO loss from policy summed log-probs: NLL of chosen (per token) + lambda x odds-ratio loss."""
    mean_c, mean_r = pc / count_c, pr / count_r
    log_odds = (mean_c - mean_r) - (_log1m_exp(mean_c) - _log1m_exp(mean_r))
    or_loss = -F.logsigmoid(log_odds)
    loss = -mean_c + lam * or_loss
    return PairTerms(loss, lam * mean_c.detach(), lam * mean_r.detach(), log_odds.detach(), or_loss.detach())


class PreferenceLoss(CausalLMLoss):
    """forward(batch of B chosen then B rejected) -> (sum of pair losses, pairs, sums of STAT_NAMES). Wrapped by DDP
    as a whole, like CausalLMLoss."""

    def __init__(self, model, method: str, settings: dict[str, object]):
        super().__init__(model)
        if method not in PREFERENCE_METHODS:
            raise ValueError(f"not a preference method: {method!r}")
        self.method = method
        self.settings = settings

    def pair_terms(self, input_ids, labels, attention_mask=None, position_ids=None):
        """(PairTerms, policy summed log-probs of chosen, of rejected)."""
        logps, counts = self.sequence_logps(input_ids, labels, attention_mask, position_ids)
        counts = counts.clamp(min=1).float()
        n = input_ids.shape[0] // 2
        pc, pr, cc, cr = logps[:n], logps[n:], counts[:n], counts[n:]
        s = self.settings
        if self.method == "orpo":
            return orpo_terms(pc, pr, cc, cr, float(s["lambda"])), pc, pr
        with torch.no_grad(), self.model.disable_adapter():
            ref, _ = self.sequence_logps(input_ids, labels, attention_mask, position_ids)
        terms = dpo_terms(pc, pr, ref[:n], ref[n:], cc, cr, float(s["beta"]), str(s["lossType"]), float(s["labelSmoothing"]))
        return terms, pc, pr

    def forward(self, input_ids, labels, attention_mask=None, position_ids=None):
        terms, pc, pr = self.pair_terms(input_ids, labels, attention_mask, position_ids)
        correct = (terms.reward_chosen > terms.reward_rejected).float()
        stats = torch.stack(
            [
                pc.detach().sum(),
                pr.detach().sum(),
                terms.reward_chosen.sum(),
                terms.reward_rejected.sum(),
                correct.sum(),
                terms.log_odds_ratio.sum(),
                terms.or_loss.sum(),
            ]
        )
        return terms.loss.sum(), torch.tensor(pc.shape[0], device=input_ids.device), stats


def stat_metrics(method: str, sums, pairs: float) -> dict[str, float]:
    """The metrics event's preference fields from the window's STAT_NAMES sums."""
    if not pairs:
        return {}
    mean = {name: float(v) / pairs for name, v in zip(STAT_NAMES, sums)}
    out = {
        "logps_chosen": mean["logps_chosen"],
        "logps_rejected": mean["logps_rejected"],
        "reward_chosen": mean["reward_chosen"],
        "reward_rejected": mean["reward_rejected"],
        "reward_margin": mean["reward_chosen"] - mean["reward_rejected"],
        "preference_accuracy": mean["correct"],
    }
    if method == "orpo":
        out.update(log_odds_ratio=mean["log_odds_ratio"], or_loss=mean["or_loss"])
    return out


def preference_objective(method: str):
    """The loop's Objective for dpo and orpo: pairs collated chosen-then-rejected, losses averaged over pairs."""
    from .data.preference import collate_pairs, trained_pairs
    from .loop import Objective

    return Objective(collate=collate_pairs, units=trained_pairs, stat_metrics=lambda sums, pairs: stat_metrics(method, sums, pairs), stat_count=len(STAT_NAMES))
