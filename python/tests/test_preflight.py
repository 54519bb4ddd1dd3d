"""preflight on an interpreter without the trainer's packages (a fresh host's python3): every import failure is a
finding in the one JSON object it prints, never a traceback; --interpreter-only checks what a bare Python can."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]


def run_preflight(tmp_path, *args, path=None):
    # -S: no site-packages, so torch, transformers and peft cannot be imported, as on a fresh host.
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR), "PATH": path or os.environ["PATH"]}
    r = subprocess.run(
        [sys.executable, "-S", "-m", "brightrun_trainer", "preflight", "--workdir", str(tmp_path), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_missing_packages_and_an_unreadable_model_are_findings(tmp_path, tiny_model):
    report = run_preflight(tmp_path, "--base-model", tiny_model)
    checks = {c["name"]: c for c in report["checks"]}
    assert report["ok"] is False
    assert report["torch"] is None and report["packages"]["transformers"] is None
    assert checks["torch"]["status"] == "error" and "No module named 'torch'" in checks["torch"]["detail"]
    assert checks["transformers"]["status"] == "error"
    assert checks["model"]["status"] == "error"
    assert "transformers cannot be imported" in checks["model"]["detail"]


def test_interpreter_only_checks_python_gpus_through_nvidia_smi_and_disk(tmp_path, tiny_model):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    smi = bin_dir / "nvidia-smi"
    smi.write_text(
        '#!/bin/sh\ncase "$1" in\n'
        '  --query-gpu=driver_version) echo "550.54.15" ;;\n'
        '  *) echo "0, NVIDIA H100 80GB HBM3, 81559, 81000"; echo "1, NVIDIA H100 80GB HBM3, 81559, 1024" ;;\n'
        "esac\n"
    )
    smi.chmod(smi.stat().st_mode | stat.S_IEXEC)
    report = run_preflight(tmp_path, "--interpreter-only", "--base-model", tiny_model, path=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert report["ok"] is True
    assert "torch" not in report and "packages" not in report and "fit" not in report
    assert report["driver"] == "550.54.15"
    assert [(g["index"], g["name"]) for g in report["gpus"]] == [(0, "NVIDIA H100 80GB HBM3"), (1, "NVIDIA H100 80GB HBM3")]
    assert report["gpus"][0]["memory_gb"] == 85.52 and report["gpus"][1]["free_gb"] == 1.07
    assert [c["name"] for c in report["checks"]] == ["disk"]


def test_a_config_without_its_size_is_a_warning_not_a_traceback(tmp_path):
    from brightrun_trainer.preflight import collect

    model = tmp_path / "odd-model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model_type": "bert", "vocab_size": 10, "hidden_size": 8, "num_attention_heads": 0}))
    report = collect(str(tmp_path), base_model=str(model))
    check = next(c for c in report["checks"] if c["name"] == "model")
    assert check["status"] == "warning" and "cannot estimate the memory" in check["detail"]
