"""The report as files beside the adapter: eval.json (the contract) and EVAL.md (for people), written atomically."""

from __future__ import annotations

import json
import os
from typing import List, Optional, Tuple

from ..events import write_text_atomic
from ..schema_check import load_schema, validate

REPORT_JSON = "eval.json"
REPORT_MD = "EVAL.md"
CARD_BEGIN = "<!-- brightrun:evaluation -->"
CARD_END = "<!-- /brightrun:evaluation -->"

METRIC_LABELS = [
    ("exact_match", "Exact match", True),
    ("token_f1", "Token F1", True),
    ("rouge_l", "ROUGE-L", True),
    ("valid_json_rate", "Valid JSON", True),
    ("answer_length", "Answer length (words)", False),
]


def check_report(report: dict) -> None:
    """Raises when the report does not match its schema (a bug here, never the user's input)."""
    errors = validate(report, load_schema("eval-report.schema.json"))
    if errors:
        raise ValueError("evaluation report does not match its schema: " + "; ".join(errors[:5]))


def _num(value: Optional[float], percent: bool = False) -> str:
    if value is None:
        return "n/a"
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:.2f}" if abs(value) < 1000 else f"{value:,.0f}"


def _change(base: Optional[float], adapter: Optional[float]) -> str:
    if base is None or adapter is None or base == 0:
        return ""
    return f"{(adapter / base - 1) * 100:+.1f}%"


def scorecard_rows(report: dict) -> List[Tuple[str, str, str, str]]:
    """(what, base, adapter, change) for every number of the scorecard."""
    rows = []
    if report["validation"] is not None:
        v = report["validation"]
        rows.append(
            (
                f"Validation perplexity ({v['examples']} examples)",
                _num(report["base"]["perplexity"]),
                _num(report["adapter"]["perplexity"]),
                _change(report["base"]["perplexity"], report["adapter"]["perplexity"]),
            )
        )
    rows += preference_rows(report.get("preference"))
    r = report["retention"]
    rows.append((f"General-text perplexity ({r['examples']} paragraphs)", _num(r["base"]), _num(r["adapter"]), _change(r["base"], r["adapter"])))
    for key, label, percent in METRIC_LABELS:
        pair = report["metrics"][key]
        if pair["base"] is None and pair["adapter"] is None:
            continue
        diff = "" if percent is False or pair["base"] is None or pair["adapter"] is None else f"{(pair['adapter'] - pair['base']) * 100:+.1f} pts"
        rows.append((label, _num(pair["base"], percent), _num(pair["adapter"], percent), diff if percent else _change(pair["base"], pair["adapter"])))
    return rows


def preference_rows(preference: Optional[dict]) -> List[Tuple[str, str, str, str]]:
    """Preference runs: each model's own preference for the chosen responses, then the adapter's implicit reward
    against the base (zero for the base by definition)."""
    if not preference:
        return []
    base, adapter, reward = preference["base"], preference["adapter"], preference["reward"]

    def points(a, b):
        return "" if a is None or b is None else f"{(b - a) * 100:+.1f} pts"

    def diff(a, b):
        return "" if a is None or b is None else f"{b - a:+.2f}"

    return [
        (
            f"Preference accuracy ({preference['pairs']} pairs)",
            _num(base["accuracy"], True),
            _num(adapter["accuracy"], True),
            points(base["accuracy"], adapter["accuracy"]),
        ),
        ("Log-prob margin, chosen - rejected", _num(base["margin"]), _num(adapter["margin"]), diff(base["margin"], adapter["margin"])),
        ("Implicit reward accuracy (vs base)", "n/a", _num(reward["accuracy"], True), ""),
        ("Implicit reward margin (vs base)", "n/a", _num(reward["margin"]), ""),
    ]


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in (text or "(empty)").splitlines() or ["(empty)"])


def gates_line(report: dict) -> str:
    gates = report["gates"]
    if not gates:
        return "No quality gates configured."
    failed = [g for g in gates if not g["passed"]]
    if not failed:
        return f"All {len(gates)} quality gates passed."
    return f"{len(failed)} of {len(gates)} quality gates failed: {', '.join(g['name'] for g in failed)}."


def scorecard_markdown(report: dict) -> str:
    lines = ["| | Base model | Adapter | Change |", "|---|---:|---:|---:|"]
    lines += [f"| {_cell(a)} | {b} | {c} | {d} |" for a, b, c, d in scorecard_rows(report)]
    lines += ["", f"**{gates_line(report)}**"]
    if report["gates"]:
        lines += ["", "| Gate | Result | Detail |", "|---|---|---|"]
        lines += [f"| `{g['name']}` | {'passed' if g['passed'] else '**failed**'} | {_cell(g['detail'])} |" for g in report["gates"]]
    return "\n".join(lines)


def report_markdown(report: dict) -> str:
    p = report["prompts"]
    source = "the validation examples" if p["source"] == "validation" else f"`{os.path.basename(p['source'])}`"
    out = [
        f"# Evaluation of {'`' + report['run_id'] + '`' if report['run_id'] else 'the adapter'}",
        "",
        f"Base model `{report['base_model']}` against base + adapter, measured {report['created_at']} in {report['wall_s']:.0f} s.",
        f"Validation: {('`' + os.path.basename(report['validation']['file']) + '`') if report['validation'] and report['validation']['file'] else ('held-out split' if report['validation'] else 'none')}; "
        f"general text: {report['retention']['examples']} paragraphs shipped with BrightRun; "
        f"prompts: {p['count']} from {source} ({p['with_reference']} with a reference), greedy, at most {p['max_new_tokens']} new tokens.",
        "",
        "## Scorecard",
        "",
        scorecard_markdown(report),
    ]
    if p["items"]:
        out += ["", "## Answers", ""]
        for i, item in enumerate(p["items"], start=1):
            out += [f"### {i}. {_cell(item['prompt'])[:120]}", ""]
            if item["reference"] is not None:
                out += ["Reference:", "", _quote(item["reference"]), ""]
            bs, ad = item["base_scores"], item["adapter_scores"]
            out += [f"Base model{_scores_suffix(bs)}:", "", _quote(item["base"]), "", f"Adapter{_scores_suffix(ad)}:", "", _quote(item["adapter"]), ""]
    return "\n".join(out).rstrip() + "\n"


def _scores_suffix(scores: dict) -> str:
    if scores["token_f1"] is None:
        return ""
    return f" (F1 {scores['token_f1']:.2f}, ROUGE-L {scores['rouge_l']:.2f}{', exact' if scores['exact_match'] else ''})"


def card_section(report: dict) -> str:
    return "\n".join(
        [
            CARD_BEGIN,
            "## Evaluation",
            "",
            scorecard_markdown(report),
            "",
            f"The full report, with every answer, is in [EVAL.md](EVAL.md) ({REPORT_JSON} for tools).",
            CARD_END,
        ]
    )


def with_card_section(card: str, report: dict) -> str:
    """The model card with its evaluation section replaced (or added before "## Hyper-parameters", else at the end)."""
    section = card_section(report)
    start, end = card.find(CARD_BEGIN), card.find(CARD_END)
    if start >= 0 and end > start:
        return card[:start] + section + card[end + len(CARD_END) :]
    anchor = card.find("\n## Hyper-parameters")
    if anchor >= 0:
        return card[: anchor + 1] + section + "\n\n" + card[anchor + 1 :]
    return card.rstrip() + "\n\n" + section + "\n"


def write_report(adapter_dir: str, report: dict) -> None:
    """eval.json, EVAL.md, and the evaluation section of README.md (when the adapter has a model card)."""
    check_report(report)
    write_text_atomic(os.path.join(adapter_dir, REPORT_JSON), json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(os.path.join(adapter_dir, REPORT_MD), report_markdown(report))
    card_path = os.path.join(adapter_dir, "README.md")
    if os.path.exists(card_path):
        with open(card_path, encoding="utf-8") as f:
            card = f.read()
        write_text_atomic(card_path, with_card_section(card, report))
