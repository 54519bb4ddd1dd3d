#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need. Idempotent: each step checks before it acts.
#   scripts/setup.sh            node deps + python venv
#   scripts/setup.sh --system   also Debian packages (chromium, openssh-server, fish, tcsh, Slurm and munge) for integration and e2e tests
#   scripts/setup.sh --e2e      also the real VS Code (code-server) for end-to-end tests
set -euo pipefail
cd "$(dirname "$0")/.."
want_system=0; want_e2e=0
for arg in "$@"; do
  case "$arg" in
    --system) want_system=1 ;;
    --e2e) want_system=1; want_e2e=1 ;;
  esac
done

# Node dependencies, exactly as package-lock.json pins them (`npm ci` never rewrites the lock, and fails when it
# no longer matches package.json), reinstalled only when the lock changed since the last install. The lock holds
# every platform's optional packages (esbuild's, rollup's), so the same lock installs on any machine.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Python: a project virtualenv. CPU torch first (pinned, from the local wheel), so transformers/peft reuse it.
bash scripts/setup-python.sh
# The embedded default model (SmolLM2-135M-Instruct, ~0.5 GB once converted): the demo trains it, and the unit,
# trainer and integration tiers count and train with it.
bash scripts/setup-model.sh

if [ "$want_system" = 1 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  # Login shells that are not POSIX: the SSH tests log in as users whose shell is fish or tcsh.
  command -v fish >/dev/null || missing+=(fish)
  command -v tcsh >/dev/null || missing+=(tcsh)
  # A real Slurm cluster on this machine (two slurmd nodes) for the Slurm tests.
  [ -x /usr/sbin/slurmctld ] || missing+=(slurmctld)
  [ -x /usr/sbin/slurmd ] || missing+=(slurmd)
  [ -x /usr/sbin/munged ] || missing+=(munge)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
  fi
fi

if [ "$want_e2e" = 1 ] && [ -f scripts/setup-e2e.sh ]; then
  bash scripts/setup-e2e.sh
fi
