// Test tiers that need real parts (sshd, the project virtualenv, chromium, code-server, a built CLI) skip on a
// developer's machine that lacks them, saying what is missing, but fail in CI (CI=true): there a skip would
// report a green run that tested nothing. The Python tests have the same rule (python/tests/conftest.py).

export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

/**
 * True when a test needing these parts must be skipped here: `describe.skipIf(missingParts({ sshd: ... }))`.
 * In CI a missing part throws instead, which fails the test file with the reason and how to install it.
 */
export function missingParts(parts: Record<string, boolean>, install = 'bash scripts/setup.sh --e2e', env = process.env): boolean {
  const missing = Object.entries(parts)
    .filter(([, present]) => !present)
    .map(([name]) => name);
  if (missing.length === 0) return false;
  const message = `missing: ${missing.join(', ')} (install with \`${install}\`)`;
  if (inCi(env)) throw new Error(`CI=true, so this test tier may not skip, but its real parts are ${message}`);
  console.warn(`skipping tests: ${message}`);
  return true;
}
