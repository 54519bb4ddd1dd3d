// Names no shell may interpret: every remote command and path must carry them as data, whatever the login
// shell (sh, bash, zsh, fish, tcsh). Shared by the quoting unit tests and the login-shell integration tests.
export const HOSTILE_ARGS = [
  'plain',
  'with space',
  "it's",
  'double "quoted"',
  '$(touch pwned)',
  '`touch pwned`',
  'new\nline',
  'bang!x !! !$',
  "back\\'slash",
  'back\\\\two',
  '$HOME ~ * ? [a] {b,c}',
  'tab\there; semi | pipe & amp > gt < lt',
  '%s %d %b \\0101 \\n',
  'ünïcödé ✓',
  '-n',
  '',
];

/** A folder or file name built from the worst of them (no '/', which a name cannot hold). */
export const HOSTILE_NAME = `a b 'q' "d" $(touch pwned) \`touch pwned\` !x \\' new\nline ü`;
