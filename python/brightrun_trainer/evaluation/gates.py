"""Quality gates: each configured gate compared with the report's numbers, passed or failed with its values.

Gate names and defaults come from the run config's schema (src/contracts/qualityGates.ts); a gate whose
threshold is null (or false) is not checked. A gate whose numbers could not be measured fails, saying why.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Callable, Dict, List, Optional

from ..config import config_to_dict
from ..schema_check import load_schema


def default_evaluation() -> dict:
    """The evaluation settings with every default, read from the generated config schema."""
    spec = load_schema("config.schema.json")["properties"]["evaluation"]["properties"]
    settings = {k: v["default"] for k, v in spec.items() if "default" in v}
    settings["gates"] = {k: v["default"] for k, v in spec["gates"]["properties"].items()}
    return settings


def evaluation_settings(raw) -> dict:
    """config.json's "evaluation" (a dict or the loaded config's namespace; possibly absent or partial) with the
    defaults filled in."""
    settings = default_evaluation()
    raw = config_to_dict(raw) if isinstance(raw, SimpleNamespace) else (raw or {})
    settings.update({k: v for k, v in raw.items() if k != "gates"})
    settings["gates"] = {**settings["gates"], **(raw.get("gates") or {})}
    return settings


def _fmt(value: Optional[float], digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _below(name: str, measured: Optional[float], limit: float, what: str, digits: int = 3) -> dict:
    if measured is None:
        return {"name": name, "passed": False, "values": {"adapter": None, "max": limit}, "detail": f"{what} could not be measured"}
    ok = measured <= limit
    return {
        "name": name,
        "passed": ok,
        "values": {"adapter": measured, "max": limit},
        "detail": f"{what} {_fmt(measured, digits)} {'<=' if ok else '>'} {_fmt(limit, digits)}",
    }


def _above(name: str, measured: Optional[float], limit: float, what: str) -> dict:
    if measured is None:
        return {
            "name": name,
            "passed": False,
            "values": {"adapter": None, "min": limit},
            "detail": f"{what} could not be measured (no prompts with a reference)",
        }
    ok = measured >= limit
    return {"name": name, "passed": ok, "values": {"adapter": measured, "min": limit}, "detail": f"{what} {_fmt(measured)} {'>=' if ok else '<'} {_fmt(limit)}"}


def _beats(name: str, base: Optional[float], adapter: Optional[float], what: str, lower_is_better: bool) -> dict:
    values = {"base": base, "adapter": adapter}
    if base is None or adapter is None:
        return {"name": name, "passed": False, "values": values, "detail": f"{what} could not be measured for both models"}
    ok = adapter < base if lower_is_better else adapter > base
    sign = ("<" if ok else ">=") if lower_is_better else (">" if ok else "<=")
    return {"name": name, "passed": ok, "values": values, "detail": f"adapter {what} {_fmt(adapter)} {sign} base {_fmt(base)}"}


def check_gates(gates: dict, report: dict) -> List[dict]:
    """The GateResult list for the gates that are on, in the order of the schema."""
    m = report["metrics"]
    retention = report["retention"]
    checks: Dict[str, Callable[[object], dict]] = {
        "adapterBeatsBaseOnValPerplexity": lambda on: _beats(
            "adapterBeatsBaseOnValPerplexity", report["base"]["perplexity"], report["adapter"]["perplexity"], "validation perplexity", True
        ),
        "maxRetentionIncreasePct": lambda limit: {
            **_below("maxRetentionIncreasePct", retention["increase_pct"], float(limit), "general-text perplexity change (%)", 2),
            "values": {"base": retention["base"], "adapter": retention["adapter"], "increase_pct": retention["increase_pct"], "max": float(limit)},
        },
        "maxValPerplexity": lambda limit: _below("maxValPerplexity", report["adapter"]["perplexity"], float(limit), "validation perplexity"),
        "minExactMatch": lambda limit: _above("minExactMatch", m["exact_match"]["adapter"], float(limit), "exact match"),
        "minTokenF1": lambda limit: _above("minTokenF1", m["token_f1"]["adapter"], float(limit), "token F1"),
        "minRougeL": lambda limit: _above("minRougeL", m["rouge_l"]["adapter"], float(limit), "ROUGE-L"),
        "minValidJsonRate": lambda limit: _above("minValidJsonRate", m["valid_json_rate"]["adapter"], float(limit), "valid JSON rate"),
        "adapterBeatsBaseOnTokenF1": lambda on: _beats("adapterBeatsBaseOnTokenF1", m["token_f1"]["base"], m["token_f1"]["adapter"], "token F1", False),
    }
    unknown = sorted(set(gates) - set(checks))
    if unknown:
        from ..errors import ConfigError

        raise ConfigError(f"unknown quality gate(s): {', '.join(unknown)}.", f"Known gates: {', '.join(checks)}.")
    results = []
    for name, check in checks.items():
        setting = gates.get(name)
        if setting is None or setting is False:
            continue
        results.append(check(setting))
    return results
