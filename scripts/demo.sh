#!/usr/bin/env bash
# The main job on the embedded default: validate the bundled sample data, then train a LoRA adapter on this
# machine with live metrics, and load the result with peft. A few minutes on 2 CPU cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build --silent

# Runs started by the demo live in .brightrun/ (git-ignored) unless BRIGHTRUN_HOME says otherwise.
export BRIGHTRUN_HOME="${BRIGHTRUN_HOME:-$PWD/.brightrun}"
brightrun() { node dist/cli.js "$@"; }
# Train with the project's .venv (setup.sh just built it) rather than building a managed environment.
export BRIGHTRUN_PYTHON="${BRIGHTRUN_PYTHON:-$PWD/.venv/bin/python}"

echo "== 1/4 Validate the sample chat data (errors would stop here, before any training)"
brightrun validate samples/chat-train.jsonl --val samples/chat-val.jsonl

echo
echo "== 2/4 A tiny base model (random weights, tokenizer trained on the samples; no download)"
# Rebuilt when the code that makes it changes, so an old cached model never stands in for the current one.
tiny_hash=$(cat python/brightrun_trainer/testing/tiny_model.py python/brightrun_trainer/testing/bpe.py samples/chat-train.jsonl samples/chat-val.jsonl | sha256sum | cut -d' ' -f1)
if [ ! -f .cache/tiny-model/config.json ] || [ "$(cat .cache/tiny-model.sha256 2>/dev/null)" != "$tiny_hash" ]; then
  rm -rf .cache/tiny-model
  .venv/bin/python -m brightrun_trainer make-tiny-model .cache/tiny-model --corpus samples/chat-train.jsonl samples/chat-val.jsonl
  echo "$tiny_hash" > .cache/tiny-model.sha256
else
  echo "reusing .cache/tiny-model"
fi

echo
echo "== 3/4 Train: brightrun train samples/demo.brightrun.json --follow   (Ctrl-C detaches; the run keeps going)"
brightrun train samples/demo.brightrun.json --follow

echo
echo "== 4/4 Load the adapter with peft"
adapter=$(brightrun runs --json | .venv/bin/python -c 'import json,sys; runs=json.load(sys.stdin); print(next((r["adapterPath"] for r in runs if r["state"]=="completed" and r["adapterPath"]), ""))')
if [ -z "$adapter" ]; then
  echo "No completed run yet (detached?). Watch it with: brightrun logs last -f"
  exit 0
fi
.venv/bin/python - "$adapter" <<'PY'
import sys
from peft import AutoPeftModelForCausalLM
model = AutoPeftModelForCausalLM.from_pretrained(sys.argv[1])
lora = sum(p.numel() for n, p in model.named_parameters() if "lora_" in n)
print(f"loaded {sys.argv[1]}\n  base model + LoRA adapter: {lora:,} adapter parameters")
PY
echo
echo "Done. Other commands: brightrun runs | brightrun logs last | brightrun resume RUN --follow"
