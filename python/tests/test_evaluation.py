"""The evaluation report: metrics against hand-computed values, gates, and whole reports on the tiny model."""

import json
import math
import os

import jsonschema
import pytest
from brightrun_trainer.cli import main
from brightrun_trainer.errors import ConfigError, DataError
from brightrun_trainer.evaluation import metrics
from brightrun_trainer.evaluation.gates import check_gates, default_evaluation, evaluation_settings
from brightrun_trainer.evaluation.prompts import read_prompt_set
from brightrun_trainer.evaluation.report import report_markdown, with_card_section
from brightrun_trainer.run import train
from brightrun_trainer.schema_check import load_schema
from conftest import addition_chat, base_config, make_run, of_type, read_events, write_jsonl

REPORT_SCHEMA = load_schema("eval-report.schema.json")
EVENT_SCHEMA = load_schema("events.schema.json")


# --- metrics, each against a value worked out by hand -------------------------------------------------------------


def test_normalise_drops_case_punctuation_articles_and_extra_spaces():
    assert metrics.normalise("  The Cat,  sat on A mat!  ") == "cat sat on mat"
    assert metrics.normalise("¿Qué tal? — bien…") == "qué tal bien"


def test_exact_match_compares_normalised_text():
    assert metrics.exact_match("Paris.", "paris") == 1.0
    assert metrics.exact_match("The answer is Paris", "Paris") == 0.0


def test_token_f1_counts_shared_tokens_with_multiplicity():
    # "cat sat on mat" vs "cat sat on hat": 3 shared of 4 and 4 -> P = R = 3/4 -> F1 = 0.75
    assert metrics.token_f1("the cat sat on the mat", "a cat sat on a hat") == pytest.approx(0.75)
    # "x x y" vs "x y y": overlap min(2,1) + min(1,2) = 2 -> P = R = 2/3
    assert metrics.token_f1("x x y", "x y y") == pytest.approx(2 / 3)
    # "x y" vs "x q y r": 2 shared -> P = 1, R = 1/2 -> F1 = 2/3
    assert metrics.token_f1("x y", "x q y r") == pytest.approx(2 / 3)
    assert metrics.token_f1("nothing shared", "at all") == 0.0
    assert metrics.token_f1("", "") == 1.0 and metrics.token_f1("", "x") == 0.0


def test_rouge_l_is_the_f_measure_of_the_longest_common_subsequence():
    # order matters, unlike F1: "x y z w" vs "x z y w" -> LCS 3 (x y w) -> P = R = 3/4
    assert metrics.rouge_l("x y z w", "x z y w") == pytest.approx(0.75)
    assert metrics.token_f1("x y z w", "x z y w") == 1.0
    # "police killed gunman" vs "police kill gunman" -> LCS 2 -> P = R = 2/3
    assert metrics.rouge_l("police killed the gunman", "police kill the gunman") == pytest.approx(2 / 3)
    # answer "x y", reference "q x r s y": LCS 2 -> P = 1, R = 2/5 -> F = 2 * 0.4 / 1.4
    assert metrics.rouge_l("x y", "q x r s y") == pytest.approx(0.8 / 1.4)
    assert metrics.lcs_length(list("abcbdab"), list("bdcaba")) == 4


def test_valid_json_only_counts_where_the_reference_is_json():
    ref = '{"city": "Paris", "days": 3}'
    assert metrics.is_json_reference(ref) and not metrics.is_json_reference("42") and not metrics.is_json_reference("Paris")
    assert metrics.is_valid_json('```json\n{"city": "Rome"}\n```')
    assert not metrics.is_valid_json('{"city": "Rome"')
    assert metrics.score('{"city": "Rome"', ref)["valid_json"] is False
    assert metrics.score("[1, 2]", ref)["valid_json"] is True
    assert metrics.score("Paris", "Paris")["valid_json"] is None


def test_scores_without_a_reference_keep_only_the_length():
    assert metrics.score("one two three", None) == {"exact_match": None, "token_f1": None, "rouge_l": None, "valid_json": None, "length": 3}


def test_summarise_averages_each_metric_over_the_answers_it_applies_to():
    scores = [
        metrics.score("Paris", "Paris"),
        metrics.score("x y", "x q y r"),
        metrics.score("a b c d", None),
        metrics.score('{"a": 1}', '{"a": 1}'),
        metrics.score("{oops", '{"a": 1}'),
    ]
    means = metrics.summarise(scores)
    assert means["exact_match"] == pytest.approx((1 + 0 + 1 + 0) / 4)
    assert means["token_f1"] == pytest.approx((1 + 2 / 3 + 1 + 0) / 4)
    assert means["valid_json_rate"] == pytest.approx(0.5)
    assert means["answer_length"] == pytest.approx((1 + 2 + 4 + 2 + 1) / 5)
    assert metrics.summarise([])["token_f1"] is None


# --- gates ------------------------------------------------------------------------------------------------------------


def _numbers(base_ppl=10.0, adapter_ppl=5.0, ret_base=20.0, ret_adapter=21.0, f1=(0.2, 0.6)):
    return {
        "base": {"loss": math.log(base_ppl), "perplexity": base_ppl},
        "adapter": {"loss": math.log(adapter_ppl), "perplexity": adapter_ppl},
        "retention": {"base": ret_base, "adapter": ret_adapter, "increase_pct": (ret_adapter / ret_base - 1) * 100},
        "metrics": {
            "exact_match": {"base": 0.0, "adapter": 0.5},
            "token_f1": {"base": f1[0], "adapter": f1[1]},
            "rouge_l": {"base": 0.1, "adapter": 0.4},
            "valid_json_rate": {"base": None, "adapter": None},
            "answer_length": {"base": 12.0, "adapter": 6.0},
        },
    }


def test_default_gates_come_from_the_generated_schema():
    defaults = default_evaluation()
    assert defaults["enabled"] is True and defaults["gates"]["adapterBeatsBaseOnValPerplexity"] is True
    assert defaults["gates"]["maxRetentionIncreasePct"] == 10 and defaults["gates"]["minExactMatch"] is None
    assert evaluation_settings({"gates": {"minTokenF1": 0.5}})["gates"]["maxRetentionIncreasePct"] == 10


def test_default_gates_pass_and_fail_with_their_numbers():
    gates = default_evaluation()["gates"]
    passed = check_gates(gates, _numbers())
    assert [g["name"] for g in passed] == ["adapterBeatsBaseOnValPerplexity", "maxRetentionIncreasePct"]
    assert all(g["passed"] for g in passed)
    assert passed[1]["values"] == {"base": 20.0, "adapter": 21.0, "increase_pct": pytest.approx(5.0), "max": 10.0}
    failed = check_gates(gates, _numbers(adapter_ppl=11.0, ret_adapter=23.0))
    assert [g["passed"] for g in failed] == [False, False]
    assert "11.000 >= base 10.000" in failed[0]["detail"] and "15.00 > 10.00" in failed[1]["detail"]


def test_threshold_gates_and_gates_that_cannot_be_measured():
    gates = {
        "adapterBeatsBaseOnValPerplexity": False,
        "maxRetentionIncreasePct": None,
        "minTokenF1": 0.5,
        "minValidJsonRate": 0.9,
        "adapterBeatsBaseOnTokenF1": True,
        "maxValPerplexity": 4.0,
    }
    by_name = {g["name"]: g for g in check_gates(gates, _numbers())}
    assert set(by_name) == {"minTokenF1", "minValidJsonRate", "adapterBeatsBaseOnTokenF1", "maxValPerplexity"}
    assert by_name["minTokenF1"]["passed"] and by_name["minTokenF1"]["values"] == {"adapter": 0.6, "min": 0.5}
    assert not by_name["minValidJsonRate"]["passed"] and "could not be measured" in by_name["minValidJsonRate"]["detail"]
    assert by_name["adapterBeatsBaseOnTokenF1"]["passed"]
    assert not by_name["maxValPerplexity"]["passed"]


def test_an_unknown_gate_is_a_config_error():
    with pytest.raises(ConfigError, match="minAccuracy"):
        check_gates({"minAccuracy": 0.5}, _numbers())


# --- prompt sets ------------------------------------------------------------------------------------------------------


def test_prompt_set_lines_are_checked(tmp_path):
    good = write_jsonl(tmp_path / "p.prompts.jsonl", [{"prompt": "Hi?", "reference": "Hello."}, {"prompt": "Sum?", "system": "Add."}])
    prompts = read_prompt_set(good)
    assert [p.text for p in prompts] == ["Hi?", "Sum?"] and prompts[1].system == "Add." and prompts[1].reference is None
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"prompt": "ok"}, {"question": "no prompt"}])
    with pytest.raises(DataError) as err:
        read_prompt_set(bad)
    assert err.value.line == 2 and "prompt" in err.value.message


# --- whole reports on the tiny model ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained(tiny_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evaluation")
    train_file = write_jsonl(tmp / "train.jsonl", addition_chat(48, seed=1))
    val_file = write_jsonl(tmp / "val.jsonl", addition_chat(8, seed=2))
    config = base_config(
        tiny_model,
        train_file,
        validation_file=val_file,
        validation_split=0.0,
        max_steps=24,
        evaluation={
            "enabled": True,
            "max_prompts": 4,
            "max_new_tokens": 8,
            "gates": {**default_evaluation()["gates"], "maxRetentionIncreasePct": None, "minTokenF1": 0.0},
        },
    )
    run_dir = make_run(tmp, "run", config)
    assert train(run_dir) == 0
    return run_dir, val_file


def test_training_ends_with_an_evaluating_stage_and_the_report_beside_the_adapter(trained):
    run_dir, val_file = trained
    events = read_events(run_dir)
    for e in events:
        jsonschema.validate(e, EVENT_SCHEMA)
    stages = [e["name"] for e in of_type(events, "stage")]
    assert stages[-3:] == ["evaluating", "saving", "done"]
    adapter = os.path.join(run_dir, "adapter")
    with open(os.path.join(adapter, "eval.json"), encoding="utf-8") as f:
        report = json.load(f)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["run_id"] == "test-run" and report["adapter_path"] == adapter
    assert report["validation"]["file"] == val_file and report["validation"]["examples"] == 8
    # trained on addition: the adapter must beat the random base on held-out addition
    assert report["adapter"]["perplexity"] < report["base"]["perplexity"]
    assert report["retention"]["examples"] == 42 and report["retention"]["base"] > 1
    assert report["prompts"]["source"] == "validation" and report["prompts"]["count"] == 4
    assert all(i["reference"] and i["prompt"].startswith("What is") for i in report["prompts"]["items"])
    assert [g["name"] for g in report["gates"]] == ["adapterBeatsBaseOnValPerplexity", "minTokenF1"]
    assert report["passed"] is True
    with open(os.path.join(adapter, "EVAL.md"), encoding="utf-8") as f:
        md = f.read()
    assert "## Scorecard" in md and "Validation perplexity (8 examples)" in md and "What is" in md
    with open(os.path.join(adapter, "README.md"), encoding="utf-8") as f:
        card = f.read()
    assert "## Evaluation" in card and card.index("## Evaluation") < card.index("## Hyper-parameters")
    assert not [n for n in os.listdir(adapter) if ".tmp-" in n]
    [summary_log] = [e for e in of_type(events, "log") if "quality gates" in e["message"]]
    assert "all 2 quality gates passed" in summary_log["message"]


def test_base_numbers_are_the_base_model_alone(trained, tiny_model, capsys):
    """disable_adapter() must give exactly the base model: compare with `eval` on the bare base model."""
    run_dir, val_file = trained
    with open(os.path.join(run_dir, "adapter", "eval.json"), encoding="utf-8") as f:
        report = json.load(f)
    capsys.readouterr()
    assert main(["eval", "--base-model", tiny_model, "--file", val_file, "--max-seq-len", "64"]) == 0
    result = [json.loads(l) for l in capsys.readouterr().out.splitlines() if l.startswith("{") and '"seq"' not in l][-1]
    assert report["base"]["perplexity"] == pytest.approx(result["perplexity"], rel=1e-4)


def test_evaluate_command_with_a_prompt_set_rewrites_the_report(trained, tmp_path, capsys):
    run_dir, _ = trained
    prompts = write_jsonl(
        tmp_path / "sums.prompts.jsonl",
        [
            {"prompt": "What is 2 plus 3?", "reference": "2 plus 3 is 5."},
            {"prompt": "Give the sum as JSON: 1 plus 1", "reference": '{"sum": 2}'},
            {"prompt": "Say hello."},
        ],
    )
    capsys.readouterr()
    code = main(["evaluate", "--run-dir", run_dir, "--prompts", prompts, "--max-new-tokens", "6"])
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines() if l.startswith("{")]
    events = [l for l in lines if "seq" in l]
    for e in events:
        jsonschema.validate(e, EVENT_SCHEMA)
    assert code == 0 and events[-1]["type"] == "done" and events[-1]["state"] == "completed"
    report = [l for l in lines if "seq" not in l][-1]
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["prompts"]["source"] == prompts and report["prompts"]["count"] == 3 and report["prompts"]["with_reference"] == 2
    assert report["prompts"]["max_new_tokens"] == 6
    items = report["prompts"]["items"]
    assert items[1]["adapter_scores"]["valid_json"] in (True, False) and items[0]["adapter_scores"]["valid_json"] is None
    assert items[2]["reference"] is None and items[2]["adapter_scores"]["token_f1"] is None
    assert report["metrics"]["valid_json_rate"]["adapter"] in (0.0, 1.0)
    with open(os.path.join(run_dir, "adapter", "eval.json"), encoding="utf-8") as f:
        assert json.load(f)["prompts"]["source"] == prompts
    with open(os.path.join(run_dir, "adapter", "README.md"), encoding="utf-8") as f:
        assert f.read().count("## Evaluation") == 1


def test_greedy_answers_are_reproducible(trained, capsys):
    run_dir, _ = trained
    answers = []
    for _ in range(2):
        capsys.readouterr()
        assert main(["evaluate", "--run-dir", run_dir, "--no-write", "--max-prompts", "2", "--max-new-tokens", "6"]) == 0
        report = [json.loads(l) for l in capsys.readouterr().out.splitlines() if l.startswith("{") and '"seq"' not in l][-1]
        answers.append([(i["base"], i["adapter"]) for i in report["prompts"]["items"]])
    assert answers[0] == answers[1] and len(answers[0]) == 2


def test_evaluation_false_skips_the_report_and_evaluate_uses_the_held_out_split(tiny_model, tmp_path, capsys):
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(16))
    run_dir = make_run(
        tmp_path, "off", base_config(tiny_model, data, max_steps=2, validation_split=0.25, evaluation={**default_evaluation(), "enabled": False})
    )
    assert train(run_dir) == 0
    assert not os.path.exists(os.path.join(run_dir, "adapter", "eval.json"))
    assert "evaluating" in [e["name"] for e in of_type(read_events(run_dir), "stage")]  # the final eval loss still runs
    capsys.readouterr()
    assert main(["evaluate", "--run-dir", run_dir, "--max-new-tokens", "4"]) == 0
    report = [json.loads(l) for l in capsys.readouterr().out.splitlines() if l.startswith("{") and '"seq"' not in l][-1]
    # the same 4 examples (25% of 16) training held out, with no file of their own
    assert report["validation"] == {"file": None, "examples": 4, "tokens": report["validation"]["tokens"]}
    assert report["prompts"]["count"] == 4 and report["prompts"]["source"] == "validation"
    assert os.path.exists(os.path.join(run_dir, "adapter", "eval.json"))
    with open(os.path.join(run_dir, "adapter", "EVAL.md"), encoding="utf-8") as f:
        assert "Validation: held-out split" in f.read()


def test_markdown_and_card_section_survive_pipes_and_a_second_write():
    report = {
        **_numbers(),
        "v": 1,
        "run_id": "r1",
        "created_at": "2026-01-01T00:00:00Z",
        "base_model": "m",
        "adapter_path": "/a",
        "validation": {"file": "/d/val.jsonl", "examples": 3, "tokens": 30},
        "retention": {**_numbers()["retention"], "file": "retention.jsonl", "examples": 42, "tokens": 900},
        "prompts": {
            "source": "validation",
            "count": 1,
            "with_reference": 1,
            "max_new_tokens": 8,
            "seed": 0,
            "items": [
                {
                    "prompt": "a | b",
                    "system": None,
                    "reference": "x",
                    "base": "y",
                    "adapter": "x",
                    "base_scores": metrics.score("y", "x"),
                    "adapter_scores": metrics.score("x", "x"),
                }
            ],
        },
        "gates": [],
        "passed": True,
        "wall_s": 1.0,
    }
    jsonschema.validate(report, REPORT_SCHEMA)
    md = report_markdown(report)
    assert "### 1. a \\| b" in md and "| Validation perplexity (3 examples) | 10.00 | 5.00 | -50.0% |" in md
    card = with_card_section("# Card\n\n## Hyper-parameters\n\nx\n", report)
    assert with_card_section(card, report) == card and card.count("## Evaluation") == 1
