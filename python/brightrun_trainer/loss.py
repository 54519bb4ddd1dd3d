"""Causal LM loss computed only where it counts.

For assistant-only training most positions carry no label, and for small models with large vocabularies the
output projection dominates the cost. The fast path runs the decoder, keeps the hidden states of the positions
that have a label, and projects only those: same loss, less compute and memory. Architectures whose logits are
post-processed (soft-capping, scaling) use the model's own forward.
"""

from __future__ import annotations

from typing import Tuple

import torch
import torch.nn.functional as F

from .data.tokenize import IGNORE

# Architectures whose logits are exactly lm_head(last hidden state).
_PLAIN_HEAD = {"llama", "mistral", "qwen2", "qwen3", "phi3", "gemma", "olmo", "olmo2", "stablelm", "starcoder2", "smollm3", "mixtral"}


class CausalLMLoss(torch.nn.Module):
    """forward(batch) -> (sum of token losses, number of trained tokens). Wrapped by DDP as a whole."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        base = model.get_base_model() if hasattr(model, "get_base_model") else model
        self._decoder = None
        if getattr(base.config, "model_type", None) in _PLAIN_HEAD and not getattr(base.config, "final_logit_softcapping", None):
            try:
                self._decoder = base.get_decoder()
                self._head = base.get_output_embeddings()
            except (AttributeError, NotImplementedError):
                self._decoder = None

    def forward(self, input_ids, labels, attention_mask=None, position_ids=None) -> Tuple[torch.Tensor, torch.Tensor]:
        target = labels[:, 1:]
        keep = target != IGNORE
        if self._decoder is not None:
            hidden = self._decoder(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, use_cache=False).last_hidden_state
            logits = self._head(hidden[:, :-1][keep])
            loss = F.cross_entropy(logits.float(), target[keep], reduction="sum")
        else:
            logits = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, use_cache=False).logits[:, :-1]
            loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=IGNORE, reduction="sum")
        return loss, keep.sum()

    def sequence_logps(self, input_ids, labels, attention_mask=None, position_ids=None) -> Tuple[torch.Tensor, torch.Tensor]:
        """(summed log-probability of each row's labelled tokens, number of labelled tokens of each row), in fp32."""
        target = labels[:, 1:]
        keep = target != IGNORE
        if self._decoder is not None:
            hidden = self._decoder(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, use_cache=False).last_hidden_state
            logits = self._head(hidden[:, :-1][keep])
        else:
            logits = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, use_cache=False).logits[:, :-1][keep]
        token_logps = -F.cross_entropy(logits.float(), target[keep], reduction="none")
        # Boolean indexing walks the rows in order, as nonzero() does: each kept token's row is its row here.
        rows = keep.nonzero()[:, 0]
        sums = torch.zeros(input_ids.shape[0], dtype=torch.float32, device=input_ids.device).index_add(0, rows, token_logps)
        return sums, keep.sum(dim=1)
