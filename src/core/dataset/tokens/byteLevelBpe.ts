// Byte-level BPE, as in GPT-2, Llama 3, Qwen and most recent models, read from a Hugging Face tokenizer.json:
// special (added) tokens are split off first, the text is split into pre-tokens with the file's regex, each
// pre-token's UTF-8 bytes are mapped to printable characters, and merges are applied lowest rank first.
// Only counting is needed, so ids are not produced. Anything this does not reproduce exactly (SentencePiece
// byte fallback, other models or normalizers) throws UnsupportedTokenizer so the caller can fall back.
// @huggingface/tokenizers does all of this and more, and is what modelCounter.ts uses for everything else; this
// stays only because it is much faster where it applies: 4-5 MB/s against 0.3-0.4 MB/s for the library on the
// validator benchmark's chat text with the tiny test model's tokenizer (both exact; the library builds token
// strings, ids and an attention mask per text, and caches words in an LRU that reorders a Map on every hit).

export class UnsupportedTokenizer extends Error {}

/** GPT-2's pre-tokenizer pattern: what ByteLevel uses when `use_regex` is true. */
const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

interface Json {
  [key: string]: unknown;
}

export class ByteLevelBpe {
  private readonly ranks = new Map<string, number>();
  private readonly vocab: Map<string, number>;
  private readonly ignoreMerges: boolean;
  private readonly splitters: RegExp[] = [];
  private readonly addPrefixSpace: boolean;
  private readonly nfc: boolean;
  private readonly specials: RegExp | undefined;
  private readonly cache = new Map<string, number>();

  constructor(tokenizer: unknown) {
    const t = tokenizer as Json;
    const model = (t.model ?? {}) as Json;
    if (model.type !== 'BPE') throw new UnsupportedTokenizer(`the model type "${String(model.type)}" is not byte-level BPE.`);
    if (model.byte_fallback) throw new UnsupportedTokenizer('byte-fallback (SentencePiece-style) BPE is not supported.');
    if (model.continuing_subword_prefix || model.end_of_word_suffix) throw new UnsupportedTokenizer('word-piece style prefixes/suffixes are not supported.');
    this.vocab = new Map(Object.entries((model.vocab ?? {}) as Record<string, number>));
    const merges = (model.merges ?? []) as (string | [string, string])[];
    merges.forEach((m, rank) => {
      const pair = typeof m === 'string' ? m : `${m[0]} ${m[1]}`;
      if (!this.ranks.has(pair)) this.ranks.set(pair, rank);
    });
    this.ignoreMerges = model.ignore_merges === true;
    this.nfc = readNormalizer(t.normalizer);
    const pre = readPreTokenizer(t.pre_tokenizer);
    this.splitters = pre.patterns.map((p) => {
      try {
        return new RegExp(toJsRegex(p), 'gu');
      } catch {
        throw new UnsupportedTokenizer(`the pre-tokenizer pattern ${JSON.stringify(p)} uses regex syntax JavaScript lacks.`);
      }
    });
    this.addPrefixSpace = pre.addPrefixSpace;
    const added = ((t.added_tokens ?? []) as Json[]).map((a) => String(a.content)).filter((c) => c.length > 0);
    this.specials = added.length
      ? new RegExp(
          added
            .sort((a, b) => b.length - a.length)
            .map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('|'),
          'g',
        )
      : undefined;
  }

  count(text: string): number {
    if (!this.specials) return this.countPlain(text);
    let n = 0;
    let last = 0;
    this.specials.lastIndex = 0;
    for (let m = this.specials.exec(text); m; m = this.specials.exec(text)) {
      if (m.index > last) n += this.countPlain(text.slice(last, m.index));
      n += 1;
      last = m.index + m[0].length;
    }
    if (last < text.length) n += this.countPlain(text.slice(last));
    return n;
  }

  private countPlain(text: string): number {
    if (this.nfc) text = text.normalize('NFC');
    if (this.addPrefixSpace && text.length > 0 && text[0] !== ' ') text = ' ' + text;
    let pieces = [text];
    for (const re of this.splitters) pieces = pieces.flatMap((p) => splitIsolated(p, re));
    let n = 0;
    for (const piece of pieces) n += this.countWord(piece);
    return n;
  }

  private countWord(piece: string): number {
    if (piece.length === 0) return 0;
    const known = this.cache.get(piece);
    if (known !== undefined) return known;
    const symbols = toByteSymbols(piece);
    const n = this.ignoreMerges && this.vocab.has(symbols.join('')) ? 1 : this.merge(symbols);
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(piece, n);
    return n;
  }

  /**
   * Classic BPE: repeatedly merge every occurrence of the lowest-ranked adjacent pair. Each round rescans the
   * word, so this is quadratic in its length: fine for words, not for one unbroken run of 200k letters, which
   * goes to mergeWithHeap instead.
   */
  private merge(symbols: string[]): number {
    if (symbols.length > LONG_WORD) return mergeWithHeap(symbols, this.ranks);
    let word = symbols;
    while (word.length > 1) {
      let best = Infinity;
      let bestPair = '';
      for (let i = 0; i < word.length - 1; i++) {
        const pair = word[i] + ' ' + word[i + 1];
        const rank = this.ranks.get(pair);
        if (rank !== undefined && rank < best) {
          best = rank;
          bestPair = pair;
        }
      }
      if (best === Infinity) break;
      const [a, b] = bestPair.split(' ');
      const next: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === a && word[i + 1] === b) {
          next.push(a + b);
          i++;
        } else next.push(word[i]);
      }
      word = next;
    }
    return word.length;
  }
}

/** Words longer than this (in bytes) are merged with a heap, in O(n log n). */
const LONG_WORD = 256;

/**
 * The same merges in O(n log n): candidate pairs in a min-heap by (rank, position), symbols in a linked list.
 * The lowest rank merges first and, among equal ranks, the leftmost (as the tokenizers library does), which is
 * what merging every occurrence left to right gives. A popped pair is used only if both symbols are still what
 * they were when it was pushed. 200k letters: ~0.3 s, where the classic loop took minutes.
 */
function mergeWithHeap(symbols: string[], ranks: Map<string, number>): number {
  const n = symbols.length;
  const sym = symbols.slice();
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const heap = new PairHeap();
  const push = (left: number) => {
    const right = next[left];
    if (right < 0) return;
    const rank = ranks.get(sym[left] + ' ' + sym[right]);
    if (rank !== undefined) heap.push(rank, left, sym[left], sym[right]);
  };
  for (let i = 0; i < n - 1; i++) push(i);
  let count = n;
  while (heap.size > 0) {
    const { position: left, a, b } = heap.pop();
    const right = next[left];
    if (sym[left] !== a || right < 0 || sym[right] !== b) continue; // stale: a neighbour merged first
    sym[left] = a + b;
    sym[right] = '';
    next[left] = next[right];
    if (next[right] >= 0) prev[next[right]] = left;
    count--;
    if (prev[left] >= 0) push(prev[left]);
    push(left);
  }
  return count;
}

/** A binary min-heap of merge candidates ordered by rank, then position. */
class PairHeap {
  private ranks: number[] = [];
  private positions: number[] = [];
  private as: string[] = [];
  private bs: string[] = [];
  get size(): number {
    return this.ranks.length;
  }
  push(rank: number, position: number, a: string, b: string): void {
    this.ranks.push(rank);
    this.positions.push(position);
    this.as.push(a);
    this.bs.push(b);
    let i = this.ranks.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): { position: number; a: string; b: string } {
    const top = { position: this.positions[0], a: this.as[0], b: this.bs[0] };
    const last = this.ranks.length - 1;
    this.swap(0, last);
    this.ranks.pop();
    this.positions.pop();
    this.as.pop();
    this.bs.pop();
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.ranks.length && this.less(l, m)) m = l;
      if (r < this.ranks.length && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
  private less(i: number, j: number): boolean {
    return this.ranks[i] < this.ranks[j] || (this.ranks[i] === this.ranks[j] && this.positions[i] < this.positions[j]);
  }
  private swap(i: number, j: number): void {
    [this.ranks[i], this.ranks[j]] = [this.ranks[j], this.ranks[i]];
    [this.positions[i], this.positions[j]] = [this.positions[j], this.positions[i]];
    [this.as[i], this.as[j]] = [this.as[j], this.as[i]];
    [this.bs[i], this.bs[j]] = [this.bs[j], this.bs[i]];
  }
}

function readNormalizer(normalizer: unknown): boolean {
  if (normalizer === null || normalizer === undefined) return false;
  const n = normalizer as Json;
  if (n.type === 'NFC') return true;
  if (n.type === 'Sequence' && Array.isArray(n.normalizers) && n.normalizers.length === 0) return false;
  if (n.type === 'Sequence' && Array.isArray(n.normalizers) && n.normalizers.every((x) => (x as Json).type === 'NFC')) return true;
  throw new UnsupportedTokenizer(`the normalizer "${String(n.type)}" is not supported.`);
}

function readPreTokenizer(pre: unknown): { patterns: string[]; addPrefixSpace: boolean } {
  const list = (pre as Json | null)?.type === 'Sequence' ? ((pre as Json).pretokenizers as Json[]) : pre ? [pre as Json] : [];
  const patterns: string[] = [];
  let addPrefixSpace = false;
  let byteLevel = false;
  for (const p of list) {
    if (p.type === 'Split') {
      const pattern = (p.pattern ?? {}) as Json;
      if (p.behavior !== 'Isolated' || p.invert) throw new UnsupportedTokenizer(`Split with behavior "${String(p.behavior)}" is not supported.`);
      if (typeof pattern.Regex === 'string') patterns.push(pattern.Regex);
      else if (typeof pattern.String === 'string') patterns.push(pattern.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      else throw new UnsupportedTokenizer('a Split pre-tokenizer without a pattern is not supported.');
    } else if (p.type === 'ByteLevel') {
      byteLevel = true;
      addPrefixSpace = p.add_prefix_space === true;
      if (p.use_regex !== false) patterns.push(GPT2_PATTERN);
    } else {
      throw new UnsupportedTokenizer(`the pre-tokenizer "${String(p.type)}" is not supported.`);
    }
  }
  if (!byteLevel) throw new UnsupportedTokenizer('the tokenizer is not byte-level (no ByteLevel pre-tokenizer).');
  return { patterns, addPrefixSpace };
}

/** Matches become pieces and so does the text between them (the "Isolated" behaviour of tokenizers' Split). */
function splitIsolated(text: string, re: RegExp): string[] {
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * The Rust `regex`/Oniguruma syntax of tokenizer.json patterns, in JavaScript: inline case-insensitive groups
 * `(?i:...)` are not supported by JavaScript here, so their letters are expanded to both cases.
 */
export function toJsRegex(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    if (pattern.startsWith('(?i:', i)) {
      let depth = 1;
      let j = i + 4;
      let inner = '';
      while (j < pattern.length && depth > 0) {
        const c = pattern[j];
        if (c === '\\') {
          inner += pattern.slice(j, j + 2);
          j += 2;
          continue;
        }
        if (c === '(') depth++;
        if (c === ')') depth--;
        if (depth > 0) inner += c;
        j++;
      }
      out += '(?:' + caseFold(inner) + ')';
      i = j;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

function caseFold(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      // Keep escapes (and \p{...} property names) as they are.
      const m = /^\\[pP]\{[^}]*\}/.exec(pattern.slice(i));
      const esc = m ? m[0] : pattern.slice(i, i + 2);
      out += esc;
      i += esc.length - 1;
      continue;
    }
    if (c === '[') inClass = true;
    if (c === ']') inClass = false;
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    if (/[a-zA-Z]/.test(c) && lower !== upper) out += inClass ? lower + upper : `[${lower}${upper}]`;
    else out += c;
  }
  return out;
}

/** GPT-2's reversible byte -> printable character table. */
const BYTE_TO_CHAR: string[] = (() => {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  return table;
})();

const encoder = new TextEncoder();

function toByteSymbols(piece: string): string[] {
  const bytes = encoder.encode(piece);
  const out = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i]];
  return out;
}
