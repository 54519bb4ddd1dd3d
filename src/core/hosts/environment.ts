// Where the trainer's code, its Python environment and uploaded datasets live on a host, and the shell
// scripts that set them up. Everything is keyed by content hashes, so the work is done once per host and
// reused until the trainer or its requirements change.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';

export interface TrainerSource {
  /** Relative path (POSIX) -> content, for every file of the brightrun_trainer package. */
  files: Map<string, Buffer>;
  requirements: Buffer;
  /** The package's declared version (__version__). */
  version: string;
}

/** Hash of the package's files: a copy on the host is reused only when it is byte-identical. */
export function trainerCodeHash(source: TrainerSource): string {
  const hash = createHash('sha256');
  for (const name of [...source.files.keys()].sort()) {
    hash.update(name).update('\0').update(source.files.get(name)!).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Key of the virtualenv: the requirements, the trainer version, the interpreter it is built from and how
 *  torch is installed first (when it is). Deliberately not the code hash, so a code change reuses the (slow to
 *  build) environment. */
export function environmentKey(source: TrainerSource, python: string, systemSitePackages: boolean, torchPipArgs: readonly string[] = []): string {
  const hash = createHash('sha256')
    .update(source.requirements)
    .update('\0')
    .update(source.version)
    .update('\0')
    .update(python)
    .update(systemSitePackages ? '\0system' : '\0isolated');
  // Only hashed when given, so environments built before torch could be chosen keep their key.
  if (torchPipArgs.length > 0) hash.update('\0torch').update(JSON.stringify(torchPipArgs));
  return hash.digest('hex').slice(0, 16);
}

export function hostLayout(workdir: string) {
  return {
    trainerDir: (codeHash: string) => posix.join(workdir, 'trainer', codeHash),
    envDir: (key: string) => posix.join(workdir, 'envs', key),
    dataset: (sha256: string) => posix.join(workdir, 'datasets', `${sha256}.jsonl`),
  };
}

export const ENV_READY_MARKER = '.brightrun-ready';

/** Creates the virtualenv unless it is already complete. Arguments: $1 python, $2 env dir, $3 requirements,
 *  $4 "1" to inherit the packages the interpreter sees, then optionally pip arguments that install torch before
 *  the requirements (a CPU or CUDA build). Prints one "environment: ..." line per step. Exit 40-44 mark which
 *  step failed. The marker is written last, so an interrupted setup is redone rather than reused. */
export const CREATE_ENV_SCRIPT = [
  'py="$1"; env="$2"; req="$3"; inherit="$4"; shift 4',
  `if [ -x "$env/bin/python" ] && [ -f "$env/${ENV_READY_MARKER}" ]; then echo "environment: reused"; exit 0; fi`,
  'command -v "$py" >/dev/null 2>&1 || { echo "python interpreter not found: $py" >&2; exit 40; }',
  'mkdir -p "$(dirname "$env")" || exit 43',
  // Two launches on a fresh host must not build the same environment at once: the second waits, then reuses.
  'lock="$env.lock"; waited=0; me=$(uname -n)',
  'until mkdir "$lock" 2>/dev/null; do',
  // A setup killed outright (or a machine that rebooted) leaves its lock behind. Its owner file says which
  // process on which machine holds it; one that no longer runs here is taken over by exactly one waiter, the
  // one whose move of the owner file succeeds (a lock held from another machine on a shared disk is waited for).
  '  owner=$(cat "$lock/owner" 2>/dev/null); pid=${owner#"$me "}',
  '  if [ -n "$owner" ] && [ "$pid" != "$owner" ] && ! kill -0 "$pid" 2>/dev/null && ! ps -p "$pid" >/dev/null 2>&1 && mv "$lock/owner" "$lock/owner.$$" 2>/dev/null; then',
  '    if [ "$(cat "$lock/owner.$$")" = "$owner" ]; then rm -f "$lock/owner.$$"; echo "environment: taking over the lock of a setup that is no longer running (pid $pid)"; break; fi',
  '    mv "$lock/owner.$$" "$lock/owner" 2>/dev/null',
  '  fi',
  '  if [ $waited -eq 0 ]; then echo "environment: waiting for another setup of $env to finish"; fi',
  '  waited=$((waited + 1)); if [ $waited -gt 1800 ]; then echo "another setup has held $lock for 30 minutes; remove it if no setup is running" >&2; exit 44; fi',
  '  sleep 1',
  'done',
  'trap \'rm -rf "$lock"\' EXIT; trap \'rm -rf "$lock"; exit 1\' HUP INT TERM',
  'echo "$me $$" > "$lock/owner" || exit 43',
  `if [ -x "$env/bin/python" ] && [ -f "$env/${ENV_READY_MARKER}" ]; then echo "environment: reused"; exit 0; fi`,
  'rm -rf "$env" || exit 43',
  'echo "environment: creating the virtualenv $env"',
  // Inheriting from an interpreter that has pip: its pip serves the new environment too (saves ensurepip).
  'if [ "$inherit" = 1 ]; then',
  '  if "$py" -c "import pip" >/dev/null 2>&1; then nopip=--without-pip; else nopip=; fi',
  '  "$py" -m venv --system-site-packages $nopip "$env" || exit 41',
  'else "$py" -m venv "$env" || exit 41; fi',
  // --system-site-packages only reaches the base installation's packages; when the interpreter is itself a
  // virtualenv (or conda env) its own site-packages are added with a .pth file, so pip sees them as installed.
  'if [ "$inherit" = 1 ]; then',
  '  purelib=$("$env/bin/python" -c "import sysconfig; print(sysconfig.get_paths()[\'purelib\'])") || exit 41',
  '  "$py" -c "import site; print(chr(10).join(site.getsitepackages()))" > "$purelib/brightrun-inherited.pth" || exit 41',
  'fi',
  // torch first when asked (e.g. the CPU build from its own index): the requirements then find it installed.
  'if [ $# -gt 0 ]; then',
  '  echo "environment: installing $*"',
  '  "$env/bin/python" -m pip install --disable-pip-version-check --no-input -q "$@" || exit 42',
  'fi',
  'echo "environment: installing the requirements ($req)"',
  '"$env/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$req" || exit 42',
  `touch "$env/${ENV_READY_MARKER}" || exit 43`,
  'echo "environment: created"',
].join('\n');

export function explainEnvFailure(code: number, output: string, python: string, host: string): string {
  const tail = output.trim().split('\n').slice(-8).join('\n');
  if (code === 40) return `Python '${python}' was not found on ${host}. Install Python 3.10+ or set the host's "python" setting to its path.`;
  if (code === 41) {
    const hint = /ensurepip|venv/i.test(output) ? ' On Debian/Ubuntu: sudo apt install python3-venv.' : '';
    return `Creating the virtualenv on ${host} with ${python} failed.${hint}\n${tail}`;
  }
  if (code === 42) return `Installing the trainer's requirements on ${host} failed (pip):\n${tail}`;
  if (code === 44) return `Setting up the environment on ${host} is blocked: ${tail}`;
  if (/No space left/i.test(output)) return `The disk on ${host} is full while setting up the environment. Free some space or choose another workdir.\n${tail}`;
  return `Setting up the environment on ${host} failed (exit ${code}):\n${tail}`;
}
