#!/usr/bin/env bash
# End-to-end tests: the packaged VSIX in the real VS Code (code-server) driven by headless Chromium.
#   scripts/test-e2e.sh [vitest args...]     e.g. scripts/test-e2e.sh test/e2e/validation.e2e.test.ts
# Installs code-server if needed (idempotent), packages the extension, then runs vitest with the e2e config.
# Screenshots go to artifacts/screenshots/, logs of failing tests to artifacts/e2e-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-e2e.sh
command -v "${BRIGHTRUN_E2E_CHROMIUM:-/usr/bin/chromium}" >/dev/null || {
  echo "test-e2e: Chromium is missing: run \`bash scripts/setup.sh --system\`" >&2
  exit 1
}
# Always repackage: a stale VSIX would test yesterday's extension (packaging takes about a second).
npm run package --silent
rm -rf artifacts/e2e-logs
exec npx vitest run --config test/e2e/vitest.config.ts "$@"
