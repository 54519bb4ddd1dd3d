#!/usr/bin/env bash
# Creates .venv with the trainer's requirements. Skips work when the requirements hash is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
stamp="$venv/.requirements.sha256"
want=$(cat python/requirements.txt python/requirements-dev.txt 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
# The CPU build of torch must be installed before anything that depends on torch (see README: Development).
"$venv/bin/python" -c 'import torch' 2>/dev/null || "$venv/bin/pip" install -q "torch==2.13.0"
"$venv/bin/pip" install -q -r python/requirements.txt -r python/requirements-dev.txt
"$venv/bin/pip" install -q -e python --no-deps
echo "$want" > "$stamp"
