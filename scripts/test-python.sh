#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
# The real pretrained model (SmolLM2-135M-Instruct) for the tests where quality is what is tested.
bash scripts/setup-model.sh
exec .venv/bin/python -m pytest -q python/tests "$@"
