#!/usr/bin/env bash
# Every test tier, in order of cost. Installs what the tiers need first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

# In CI (CI=true) neither the set-up nor the tests may change a tracked file (a rewritten lock file, a regenerated
# schema that was not committed): what was tested must be what is committed. Only in CI, where nobody else is
# editing the work tree.
require_clean_tree() {
  case "${CI:-}" in ""|false|0) return 0 ;; esac
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "test: not a git work tree; cannot check that tracked files are unchanged $1" >&2
    return 0
  fi
  local changed
  changed="$(git status --porcelain --untracked-files=no)"
  if [ -n "$changed" ]; then
    echo "test: tracked files changed $1:" >&2
    echo "$changed" >&2
    git diff --stat >&2
    exit 1
  fi
}

bash scripts/setup.sh --e2e
require_clean_tree "by the set-up (scripts/setup.sh)"
npm run typecheck
npm run lint
npm run lint:deps
npm run build
npm run test:unit
npm run test:webview
npm run test:python
npm run test:integration
npm run test:e2e
require_clean_tree "by the tests"
