// A small position-tracking JSON scanner. It is used only for lines that already have findings (valid lines go
// through JSON.parse, which is much faster), to place each finding on its key or value, and to describe a
// syntax error precisely (offset, what was expected, whether it is a trailing comma).
// Offsets are UTF-16 code-unit indexes into the line, like JavaScript string indexes; `end` is exclusive.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; props: JsonProp[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number' | 'literal'; start: number; end: number };

export interface JsonProp {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export interface JsonSyntaxError {
  offset: number;
  /** Length of the offending token (at least 1, so an editor range is visible). */
  length: number;
  message: string;
  /** Offset of a comma directly followed by `}` or `]`: deleting it makes the line valid there. */
  trailingComma?: number;
}

export type ScanResult = { ok: true; node: JsonNode } | { ok: false; error: JsonSyntaxError };

/** Thrown to unwind the scanner on a syntax error and always caught by scanJson. Not an Error: capturing a
 * stack trace for each of a million broken lines would cost more than scanning them. */
class SyntaxFailure {
  constructor(readonly detail: JsonSyntaxError) {}
}

export function scanJson(text: string): ScanResult {
  const scanner = new Scanner(text);
  try {
    scanner.skipWhitespace();
    const node = scanner.value();
    scanner.skipWhitespace();
    if (scanner.pos < text.length) scanner.fail('Unexpected text after the JSON value; remove it or split it into its own line.');
    return { ok: true, node };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.detail };
    throw error;
  }
}

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

/** Deeper structures are not located (the finding then covers the whole line); it keeps the stack bounded. */
export const MAX_DEPTH = 512;

class Scanner {
  pos = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  fail(message: string, at = this.pos, extra: Partial<JsonSyntaxError> = {}): never {
    const length = at < this.text.length ? tokenLength(this.text, at) : 1;
    throw new SyntaxFailure({ offset: at, length, message, ...extra });
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  value(): JsonNode {
    const t = this.text;
    if (this.pos >= t.length) this.fail('The line ends where a value was expected; the JSON is incomplete.');
    const c = t[this.pos];
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_DEPTH) this.fail(`The JSON is nested more than ${MAX_DEPTH} levels deep.`);
      const node = c === '{' ? this.object() : this.array();
      this.depth--;
      return node;
    }
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (t.startsWith(word, this.pos)) {
        const start = this.pos;
        this.pos += word.length;
        return { kind: 'literal', start, end: this.pos };
      }
    }
    if (c === "'") this.fail('Strings must use double quotes (") in JSON, not single quotes.');
    this.fail(`Unexpected ${describe(t, this.pos)} where a value was expected.`);
  }

  object(): JsonNode {
    const start = this.pos++;
    const props: JsonProp[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', start, end: this.pos, props };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') {
        if (this.text[this.pos] === '}' && props.length > 0) this.trailingCommaFail('}');
        this.fail(`Expected a double-quoted property name, found ${describe(this.text, this.pos)}.`);
      }
      const key = this.string() as { start: number; end: number; value: string };
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(`Expected ':' after the property name "${key.value}", found ${describe(this.text, this.pos)}.`);
      this.pos++;
      this.skipWhitespace();
      const value = this.value();
      props.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value });
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.lastComma = this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return { kind: 'object', start, end: this.pos, props };
      }
      this.fail(`Expected ',' or '}' after the value of "${key.value}", found ${describe(this.text, this.pos)}.`);
    }
  }

  private lastComma = -1;

  private trailingCommaFail(closer: string): never {
    this.fail(`Trailing comma before '${closer}': JSON does not allow it; remove the comma.`, this.lastComma, {
      trailingComma: this.lastComma,
      length: 1,
    });
  }

  array(): JsonNode {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', start, end: this.pos, items };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] === ']' && items.length > 0) this.trailingCommaFail(']');
      items.push(this.value());
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.lastComma = this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return { kind: 'array', start, end: this.pos, items };
      }
      this.fail(`Expected ',' or ']' in the list, found ${describe(this.text, this.pos)}.`);
    }
  }

  string(): JsonNode {
    const t = this.text;
    const start = this.pos++;
    let value = '';
    let chunkStart = this.pos;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        value += t.slice(chunkStart, this.pos);
        this.pos++;
        return { kind: 'string', start, end: this.pos, value };
      }
      if (c === 0x5c) {
        value += t.slice(chunkStart, this.pos);
        const e = t[this.pos + 1];
        const unescaped = e === undefined ? undefined : SIMPLE_ESCAPES.get(e);
        if (unescaped !== undefined) {
          value += unescaped;
          this.pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
          value += String.fromCharCode(parseInt(t.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          this.fail(`Invalid escape sequence '\\${e ?? ''}' in a string; write a backslash as '\\\\'.`, this.pos, { length: 2 });
        }
        chunkStart = this.pos;
        continue;
      }
      if (c < 0x20) this.fail('A control character (such as a raw tab or newline) inside a string must be escaped (\\t, \\n).');
      this.pos++;
    }
    this.fail('The string is not closed: a closing double quote (") is missing.', start);
  }

  number(): JsonNode {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match || match[0] === '-') this.fail(`Invalid number ${describe(this.text, this.pos)}.`);
    const start = this.pos;
    this.pos += match[0].length;
    return { kind: 'number', start, end: this.pos };
  }
}

function tokenLength(text: string, at: number): number {
  const match = /^[A-Za-z0-9_$.+-]+/.exec(text.slice(at, at + 80));
  return match ? match[0].length : text.codePointAt(at)! > 0xffff ? 2 : 1;
}

function describe(text: string, at: number): string {
  if (at >= text.length) return 'the end of the line';
  const match = /^[A-Za-z0-9_$.+-]+/.exec(text.slice(at, at + 40));
  return match ? `'${match[0]}'` : `'${String.fromCodePoint(text.codePointAt(at)!)}'`;
}

export type JsonPath = (string | number)[];

/** The node at `path` (object keys and array indexes), or undefined when the path does not exist. */
export function nodeAt(root: JsonNode, path: JsonPath): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const step of path) {
    if (!node) return undefined;
    if (typeof step === 'number') node = node.kind === 'array' ? node.items[step] : undefined;
    else node = node.kind === 'object' ? lastProp(node.props, step)?.value : undefined;
  }
  return node;
}

/** The property named by the last step of `path` (JSON.parse keeps the last of duplicate keys, so do we). */
export function propAt(root: JsonNode, path: JsonPath): JsonProp | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  return parent?.kind === 'object' && typeof key === 'string' ? lastProp(parent.props, key) : undefined;
}

/** Objects with more keys than this get an index, so placing a finding on each of their keys stays linear. */
const INDEX_FROM = 32;
const indexes = new WeakMap<JsonProp[], Map<string, JsonProp>>();

function lastProp(props: JsonProp[], key: string): JsonProp | undefined {
  if (props.length > INDEX_FROM) {
    let index = indexes.get(props);
    if (!index) {
      index = new Map();
      for (const p of props) index.set(p.key, p);
      indexes.set(props, index);
    }
    return index.get(key);
  }
  for (let i = props.length - 1; i >= 0; i--) if (props[i].key === key) return props[i];
  return undefined;
}
