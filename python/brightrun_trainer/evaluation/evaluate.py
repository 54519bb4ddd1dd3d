"""One evaluation report: base model against base + adapter on the validation set, general text and prompts.

`evaluate --run-dir DIR` (after training, or `brightrun eval RUN`) and the end of `train` both call build_report,
which reports progress as `log` events and returns the report (the EvalReport contract).
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from typing import Callable, List, Optional

from ..data.formats import Example, read_dataset
from ..data.preference import tokenize_pairs
from ..data.tokenize import tokenize_examples
from . import metrics
from .gates import check_gates
from .measure import answer, mean_loss, perplexity_of, with_adapter
from .preference import preference_scores
from .prompts import Prompt

RETENTION_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "retention.jsonl")
# General-text paragraphs are short; a fixed length keeps retention numbers comparable across runs.
RETENTION_MAX_LEN = 256


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _pair(model, data, pad_id, rt, max_len, batch_size, should_stop):
    """(base, adapter) mean losses and the trained-token count of one set."""
    with with_adapter(model, False):
        base, tokens = mean_loss(model, data, pad_id, rt, max_len, batch_size, should_stop)
    adapter, _ = mean_loss(model, data, pad_id, rt, max_len, batch_size, should_stop)
    return base, adapter, tokens


def build_report(
    model,
    tokenizer,
    rt,
    *,
    run_id: Optional[str],
    base_model: str,
    adapter_path: str,
    validation: Optional[List[Example]],
    validation_file: Optional[str],
    prompts: List[Prompt],
    prompt_source: str,
    settings: dict,
    max_len: int,
    seed: int,
    events,
    batch_size: int = 4,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict:
    start = time.time()
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id

    val_block, base_val, adapter_val, preference = None, None, None, None
    if validation:
        if validation[0].chosen is not None:
            # Preference pairs: perplexity of the chosen responses, and how often each model prefers them.
            pairs, _ = tokenize_pairs(tokenizer, validation, max_len, "truncate", validation_file or "validation")
            events.emit("log", level="info", message=f"Evaluation: preference accuracy of the base model and the adapter ({len(pairs)} pairs)")
            preference = preference_scores(model, pairs, pad_id, rt, batch_size, should_stop)
            data = [p.chosen for p in pairs]
        else:
            data, _ = tokenize_examples(tokenizer, validation, max_len, "truncate", validation_file or "validation")
        events.emit("log", level="info", message=f"Evaluation: validation perplexity of the base model and the adapter ({len(data)} examples)")
        base_val, adapter_val, tokens = _pair(model, data, pad_id, rt, max_len, batch_size, should_stop)
        val_block = {"file": validation_file, "examples": len(data), "tokens": tokens}

    _, general = read_dataset(RETENTION_FILE)
    general_data, _ = tokenize_examples(tokenizer, general, RETENTION_MAX_LEN, "truncate", RETENTION_FILE)
    events.emit("log", level="info", message=f"Evaluation: general-text perplexity ({len(general_data)} paragraphs), to measure forgetting")
    base_ret, adapter_ret, ret_tokens = _pair(model, general_data, pad_id, rt, RETENTION_MAX_LEN, batch_size, should_stop)
    ret_base, ret_adapter = perplexity_of(base_ret), perplexity_of(adapter_ret)

    max_new = int(settings["max_new_tokens"])
    items = []
    if prompts:
        events.emit(
            "log",
            level="info",
            message=f"Evaluation: answering {len(prompts)} prompts with the base model and the adapter (greedy, at most {max_new} new tokens)",
        )
    for number, prompt in enumerate(prompts, start=1):
        if should_stop():
            break
        if number > 1:  # slow models answer slowly: the monitor's log tail shows how far it got
            events.emit("log", level="info", message=f"Evaluation: {number - 1} of {len(prompts)} prompts answered")
        with with_adapter(model, False):
            base_answer = answer(model, tokenizer, rt, prompt.messages, prompt.tools, max_new, seed)
        adapter_answer = answer(model, tokenizer, rt, prompt.messages, prompt.tools, max_new, seed)
        items.append(
            {
                "prompt": prompt.text,
                "system": prompt.system,
                "reference": prompt.reference,
                "base": base_answer,
                "adapter": adapter_answer,
                "base_scores": metrics.score(base_answer, prompt.reference),
                "adapter_scores": metrics.score(adapter_answer, prompt.reference),
            }
        )

    base_means = metrics.summarise([i["base_scores"] for i in items])
    adapter_means = metrics.summarise([i["adapter_scores"] for i in items])
    report = {
        "v": 1,
        "run_id": run_id,
        "created_at": _now(),
        "base_model": base_model,
        "adapter_path": adapter_path,
        "validation": val_block,
        "base": {"loss": base_val, "perplexity": perplexity_of(base_val)},
        "adapter": {"loss": adapter_val, "perplexity": perplexity_of(adapter_val)},
        "retention": {
            "file": os.path.basename(RETENTION_FILE),
            "examples": len(general_data),
            "tokens": ret_tokens,
            "base": ret_base,
            "adapter": ret_adapter,
            "increase_pct": (ret_adapter / ret_base - 1) * 100 if ret_base and ret_adapter is not None else None,
        },
        "prompts": {
            "source": prompt_source,
            "count": len(items),
            "with_reference": sum(1 for i in items if i["reference"] is not None),
            "max_new_tokens": max_new,
            "seed": seed,
            "items": items,
        },
        "metrics": {key: {"base": base_means[key], "adapter": adapter_means[key]} for key in base_means},
        **({"preference": preference} if preference is not None else {}),
        "gates": [],
        "passed": True,
        "wall_s": 0.0,
    }
    report["gates"] = check_gates(settings["gates"], report)
    report["passed"] = all(g["passed"] for g in report["gates"])
    report["wall_s"] = round(time.time() - start, 3)
    return report
