// A token estimate from characters alone, in one pass: each UTF-16 unit falls in a script class (ASCII letters,
// digits, spaces, punctuation, 2-byte scripts such as Cyrillic or accented Latin, CJK ideographs, kana,
// Hangul, other BMP, emoji and other astral characters); the estimate is a weight per character of each class
// plus a weight per run of it (a word, a number, a stretch of punctuation), which is how BPE pre-tokenizers cut
// text. The weights are fitted to cl100k counts by bench/validate/calibrate.mjs, which prints this table.

export const SCRIPT_CLASSES = ['letter', 'digit', 'space', 'whitespace', 'punct', 'twoByte', 'cjk', 'kana', 'hangul', 'otherBmp', 'astral'] as const;
const CLASS_COUNT = SCRIPT_CLASSES.length;

const ASCII_CLASS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) table[c] = 0;
    else if (c >= 48 && c <= 57) table[c] = 1;
    else if (c === 32) table[c] = 2;
    else if (c < 32 || c === 127) table[c] = 3;
    else table[c] = 4;
  }
  return table;
})();

function classOf(c: number): number {
  if (c < 128) return ASCII_CLASS[c];
  if (c < 0x800) return 5;
  if (c >= 0xd800 && c <= 0xdfff) return 10;
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) return 6;
  if ((c >= 0x3000 && c <= 0x30ff) || (c >= 0xff00 && c <= 0xffef)) return 7;
  if (c >= 0xac00 && c <= 0xd7af) return 8;
  return 9;
}

/** Tokens per character of each class, then per run of it (fitted; see the header). */
export const CHAR_WEIGHTS = new Float64Array([0.1144, 0.0, 0.0736, 0.0, 0.2844, 0.2323, 1.0416, 0.6673, 0.8771, 0.4912, 1.1433]);
export const RUN_WEIGHTS = new Float64Array([0.1378, 1.606, 0.3701, 0.9279, 0.3626, 1.3873, 1.2661, 0.0, 0.387, 0.7588, 0.0]);

/**
 * The weight of a character of class k after one of class p, at PAIR_WEIGHTS[p * 16 + k]: its own weight, plus
 * the run weight when it starts a run. One table load per character instead of a branch (the estimate must cost
 * far less than parsing the JSON it comes from).
 */
const START = 15;
const PAIR_WEIGHTS = (() => {
  const table = new Float64Array(16 * 16);
  for (let p = 0; p < 16; p++) for (let k = 0; k < CLASS_COUNT; k++) table[p * 16 + k] = CHAR_WEIGHTS[k] + (p === k ? 0 : RUN_WEIGHTS[k]);
  return table;
})();

/** Texts at least this long are estimated from every stride-th character (see estimateTokens). */
const FULL_SCAN_BELOW = 128;

/** At least ~25 characters read per text, at most one in 13 on long ones. */
const strideFor = (length: number) => (length < 256 ? 5 : length < 512 ? 7 : length < 1024 ? 11 : 13);

/**
 * The estimate for one text (not rounded). Long texts are read at one character in `stride`, together with the
 * character after it: the class counts and the run starts seen there, times the stride, estimate those of the
 * whole text without bias, at a fraction of the cost (a full pass cost ~60% of JSON.parse's time on the same
 * text; the validator's whole budget is 43%).
 */
export function estimateTokens(text: string): number {
  const length = text.length;
  let estimate = 0;
  if (length < FULL_SCAN_BELOW) {
    let previous = START * 16;
    for (let i = 0; i < length; i++) {
      const k = classAt(text, i);
      estimate += PAIR_WEIGHTS[previous + k];
      previous = k << 4;
    }
    return estimate;
  }
  // The weight of character i + 1 after character i, for one i in `stride`: `stride` times that is the weight
  // of all characters but the first, whose weight (it starts a run) is added as it is.
  // One character at a random place in each stretch of `stride` (jittered, not every stride-th): a text that
  // repeats with a period of the stride (fixed-width rows) cannot put every read on the same kind of character.
  const stride = strideFor(length);
  let seed = length;
  for (let start = 0; start < length - 1; start += stride) {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    const i = start + ((seed >>> 16) % stride);
    if (i < length - 1) estimate += PAIR_WEIGHTS[(classAt(text, i) << 4) + classAt(text, i + 1)];
  }
  return estimate * stride + PAIR_WEIGHTS[START * 16 + classAt(text, 0)];
}

function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? ASCII_CLASS[c] : classOf(c);
}

/** Characters and runs per class, in SCRIPT_CLASSES order (chars first, then runs): what the weights multiply.
 *  @public bench/validate/calibrate.mjs fits the weights on it. */
export function scriptFeatures(text: string): number[] {
  const features = new Array<number>(2 * CLASS_COUNT).fill(0);
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const k = classOf(text.charCodeAt(i));
    features[k]++;
    if (k !== previous) {
      features[CLASS_COUNT + k]++;
      previous = k;
    }
  }
  return features;
}
