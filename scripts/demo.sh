#!/usr/bin/env bash
# The main job on the embedded default model: validate the sample ticket-triage data, train a LoRA adapter on
# SmolLM2-135M-Instruct on this machine with live metrics, then measure it against the base model on the held-out
# tickets (perplexity, exact match, valid JSON). Under 10 minutes on 2 CPU cores, installs included.
set -euo pipefail
cd "$(dirname "$0")/.."
demo_start=$(date +%s)
stage_start=$demo_start
timings=()
# stage NAME WHAT: starts a stage; each prints how long it took, and the list is printed again at the end.
stage() {
  local now; now=$(date +%s)
  if [ -n "${stage_name:-}" ]; then
    timings+=("$(printf '%-22s %4d s' "$stage_name" $((now - stage_start)))")
    echo "   ($stage_name: $((now - stage_start)) s)"
  fi
  stage_name=$1; stage_start=$now
  [ "$1" = end ] || printf '\n== %s: %s\n' "$1" "$2"
}

stage "1/5 Install" "node packages, Python venv, the base model SmolLM2-135M-Instruct (fetched once, converted from GGUF)"
bash scripts/setup.sh
npm run build --silent

stage "2/5 Base model" "SmolLM2-135M-Instruct (already in place after the install)"
bash scripts/setup-model.sh
echo "in .cache/models/smollm2-135m-instruct"

# Runs started by the demo live in .brightrun/ (git-ignored) unless BRIGHTRUN_HOME says otherwise.
export BRIGHTRUN_HOME="${BRIGHTRUN_HOME:-$PWD/.brightrun}"
# Train with the project's .venv (setup.sh just built it) rather than building a managed environment.
export BRIGHTRUN_PYTHON="${BRIGHTRUN_PYTHON:-$PWD/.venv/bin/python}"
brightrun() { node dist/cli.js "$@"; }

stage "3/5 Validate" "the ticket data, counted with the model's own tokenizer"
brightrun validate samples/tickets/tickets-train.jsonl --val samples/tickets/tickets-val.jsonl \
  --tokenizer .cache/models/smollm2-135m-instruct

stage "4/5 Train" "brightrun train samples/tickets/tickets.brightrun.json --follow   (Ctrl-C detaches; the run keeps going)"
brightrun train samples/tickets/tickets.brightrun.json --follow

stage "5/5 Evaluate" "brightrun eval last --prompts samples/tickets/tickets-val.prompts.jsonl   (base model against base + adapter)"
# Exit code 1 means a quality gate failed: the scorecard says which, and the demo still ends normally.
# At most 40 new tokens: a ticket is about 31, and the base model's prose is cut there rather than at 64.
brightrun eval last --prompts samples/tickets/tickets-val.prompts.jsonl --max-new-tokens 40 || echo "(a quality gate failed; see above)"

stage end
echo
echo "Time per stage:"
printf '  %s\n' "${timings[@]}"
printf '  %-22s %4d s\n' total $(( $(date +%s) - demo_start ))
echo
echo "Other commands: brightrun runs | brightrun logs last | brightrun eval last --json | brightrun resume RUN --follow"
