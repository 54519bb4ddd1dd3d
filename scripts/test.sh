#!/usr/bin/env bash
# Every test tier, in order of cost. Installs what the tiers need first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --e2e
npm run typecheck
npm run build
npm run test:unit
npm run test:webview
npm run test:python
npm run test:integration
npm run test:e2e
