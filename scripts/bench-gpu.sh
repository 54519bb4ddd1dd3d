#!/usr/bin/env bash
# The trainer benchmark on a CUDA GPU: brightrun_trainer against a plain transformers.Trainer + peft baseline on a
# ~0.5B model with a real architecture's shape (Qwen2.5-0.5B, random weights), sequence length 2048, bf16,
# packing, flash-attention 2 when flash-attn is installed (else PyTorch SDPA), and the QLoRA path when
# bitsandbytes installs. Prints tokens/s, the ratios against the baseline, MFU and peak memory. A few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
py=.venv/bin/python
if ! "$py" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  echo "bench:gpu needs a CUDA GPU, and none is usable here: $("$py" -c 'import torch; print(f"torch {torch.__version__}, built for CUDA {torch.version.cuda}, {torch.cuda.device_count()} device(s) visible")' 2>/dev/null || echo 'torch cannot be imported')." >&2
  echo "Run it on a machine with an NVIDIA GPU and a CUDA build of torch; on this machine, npm run bench:trainer measures the CPU." >&2
  exit 2
fi
"$py" -c 'import torch; print(f"GPU: {torch.cuda.get_device_name(0)}, torch {torch.__version__} (CUDA {torch.version.cuda})")'
qlora=()
if "$py" -c 'import bitsandbytes' 2>/dev/null || "$py" -m pip install -q bitsandbytes; then
  qlora=(--qlora)
else
  echo "bitsandbytes did not install: the QLoRA variant is left out."
fi
"$py" -c 'import flash_attn' 2>/dev/null && echo "attention: flash-attention 2" || echo "attention: PyTorch SDPA (flash-attn is not installed)"
start=$(date +%s)
timeout 450 "$py" bench/trainer/run.py --arch qwen2.5-0.5b --seq-len 2048 --batch-size 8 --steps 40 --examples 4000 \
  --max-answer-words 400 "${qlora[@]}"
echo "bench:gpu took $(( $(date +%s) - start )) s"
