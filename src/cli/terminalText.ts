// Text the CLI did not write itself (dataset content quoted in findings, file names, trainer logs, messages
// from hosts) is shown with its control characters made visible, so it cannot move the cursor, clear the
// screen, retitle the window, hide lines or forge new ones in the user's terminal.

/** C0 controls, DEL, C1 controls, and the Unicode controls that reorder or break lines as displayed. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
  ['\u001b', '\\x1b'],
]);

function visible(char: string): string {
  const named = NAMED.get(char);
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of foreign text: every control character, line breaks included, as a visible escape. */
export function escapeForTerminal(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Foreign text of many lines (a log file): its line breaks are kept, everything else is escaped. */
export function escapeLinesForTerminal(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

/** JSON.stringify leaves DEL and the C1 controls raw (ESC's 8-bit form U+009B among them): write them as
 *  \u escapes, which is still the same JSON. Line separators are escaped too, for readers that split on them. */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every string inside a value (an event from a host), escaped for one line. */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeForTerminal(value) as T;
  if (Array.isArray(value)) return value.map(escapeStrings) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeStrings(v)])) as T;
  }
  return value;
}
