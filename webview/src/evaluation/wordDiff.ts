// Word-level difference of two answers (longest common subsequence of words), for highlighting what the adapter
// says differently from the base model. Whitespace is kept with the word before it, so joining gives the text.

export interface DiffPart {
  text: string;
  /** 'same' in both answers; 'changed' only in this one. */
  kind: 'same' | 'changed';
}

/** Beyond this many word pairs the table is not built: the answers are shown whole, without highlighting. */
export const MAX_DIFF_CELLS = 1_000_000;

function words(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function parts(tokens: string[], keep: boolean[]): DiffPart[] {
  const out: DiffPart[] = [];
  tokens.forEach((token, i) => {
    const kind = keep[i] ? 'same' : 'changed';
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += token;
    else out.push({ text: token, kind });
  });
  return out;
}

/** The two answers split into parts the other shares ('same') and parts it does not ('changed'). */
export function wordDiff(left: string, right: string): { left: DiffPart[]; right: DiffPart[] } {
  const a = words(left);
  const b = words(right);
  if (a.length * b.length > MAX_DIFF_CELLS) {
    return { left: left ? [{ text: left, kind: 'same' }] : [], right: right ? [{ text: right, kind: 'same' }] : [] };
  }
  const key = (w: string) => w.trim();
  // lengths[i][j]: LCS of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = key(a[i]) === key(b[j]) ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const keepA = new Array<boolean>(a.length).fill(false);
  const keepB = new Array<boolean>(b.length).fill(false);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (key(a[i]) === key(b[j])) {
      keepA[i++] = true;
      keepB[j++] = true;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) i++;
    else j++;
  }
  // Whitespace-only tokens are never a difference worth showing.
  a.forEach((w, k) => (keepA[k] ||= w.trim() === ''));
  b.forEach((w, k) => (keepB[k] ||= w.trim() === ''));
  return { left: parts(a, keepA), right: parts(b, keepB) };
}
