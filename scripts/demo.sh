#!/usr/bin/env bash
# The main job on the embedded default: validate the bundled sample data, then train a LoRA adapter locally.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build --silent
node dist/cli.js validate samples/chat-train.jsonl --val samples/chat-val.jsonl
