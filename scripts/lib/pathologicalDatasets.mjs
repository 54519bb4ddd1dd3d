// Generated JSONL inputs that once made the validator crash, stall or print without end: one array of a few
// hundred thousand entries, hundreds of thousands of identical lines, tens of thousands of keys in one object,
// values nested far deeper than any example, a million invalid lines, examples of no known format, and very
// long unbroken runs of letters (hard for BPE tokenizers). Deterministic and written at test or bench time, so
// no large data is committed. Plain JavaScript so node scripts can import it; TypeScript reads the .d.mts.
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom } from './seededRandom.mjs';

const line = (messages) => JSON.stringify({ messages });
const pair = (q, a) =>
  line([
    { role: 'user', content: q },
    { role: 'assistant', content: a },
  ]);

/**
 * Each class: a description and its lines at `scale` 1 (sizes grow linearly with `scale`). `expect` says
 * what a validator must count for the file, so tests can check that nothing was lost while output stayed small.
 */
export const PATHOLOGICAL_CLASSES = {
  hugeArray: {
    description: 'one example whose "messages" list has 300k entries that are not messages (each one a finding)',
    expect: (scale) => ({ lines: 1, code: 'data_type', count: 300_000 * scale }),
    *lines(scale) {
      yield `{"messages":[${'1,'.repeat(300_000 * scale - 1)}1]}`;
    },
  },
  hugeConversation: {
    description: 'one valid example of 200k alternating user/assistant turns',
    expect: () => ({ lines: 1, code: null, count: 0 }),
    *lines(scale) {
      const turns = [];
      for (let i = 0; i < 100_000 * scale; i++) turns.push({ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` });
      yield line(turns);
    },
  },
  duplicateLines: {
    description: '300k identical lines (each after the first a duplicate_example)',
    expect: (scale) => ({ lines: 300_000 * scale, code: 'duplicate_example', count: 300_000 * scale - 1 }),
    *lines(scale) {
      const text = pair('What colour is the lamp?', 'Sand.');
      for (let i = 0; i < 300_000 * scale; i++) yield text;
    },
  },
  manyKeys: {
    description: 'one example with 50k unrecognised top-level keys',
    expect: (scale) => ({ lines: 1, code: 'unrecognized_key', count: 50_000 * scale }),
    *lines(scale) {
      const keys = [];
      for (let i = 0; i < 50_000 * scale; i++) keys.push(`"extra_${i}":${i}`);
      yield `{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],${keys.join(',')}}`;
    },
  },
  manyMessageKeys: {
    description: 'one message with 50k unrecognised keys',
    expect: (scale) => ({ lines: 1, code: 'message_unrecognized_key', count: 50_000 * scale }),
    *lines(scale) {
      const keys = [];
      for (let i = 0; i < 50_000 * scale; i++) keys.push(`"extra_${i}":${i}`);
      yield `{"messages":[{"role":"user","content":"q",${keys.join(',')}},{"role":"assistant","content":"a"}]}`;
    },
  },
  deepNesting: {
    description: 'values nested 100k levels deep in every place a value can sit, one line each',
    expect: () => ({ lines: 8, code: null, count: 0 }),
    *lines(scale) {
      const depth = 100_000 * scale;
      const arrays = '['.repeat(depth) + ']'.repeat(depth);
      const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const ok = '{"role":"assistant","content":"a"}';
      yield `{"messages":[{"role":"user","content":${arrays}},${ok}]}`;
      yield `{"messages":[{"role":"user","content":"q"},${ok}],"tools":[${objects}]}`;
      yield `{"messages":[{"role":"user","content":"q","weight":${objects}},${ok}]}`;
      yield `{"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":${arrays}}]}`;
      yield `{"conversations":[{"from":"human","value":${objects}},{"from":"gpt","value":"a"}]}`;
      yield `{"prompt":${arrays},"completion":"b"}`;
      yield `{"nothing_known":${objects}}`;
      yield arrays;
    },
  },
  invalidLines: {
    description: 'a million lines of invalid JSON',
    expect: (scale) => ({ lines: 1_000_000 * scale, code: 'invalid_json', count: 1_000_000 * scale }),
    *lines(scale) {
      for (let i = 0; i < 1_000_000 * scale; i++) yield `{"messages": [}`;
    },
  },
  unknownFormatLines: {
    description: 'one chat example, then 200k objects of no known format (each judged against the file format)',
    expect: (scale) => ({ lines: 200_001 * scale, code: 'missing_messages_list', count: 200_000 * scale }),
    *lines(scale) {
      yield pair('q', 'a');
      for (let i = 0; i < 200_000 * scale; i++) yield `{"question":${i}}`;
    },
  },
  longRuns: {
    description: 'examples made of very long unbroken runs of letters (quadratic in naive BPE merging)',
    expect: () => ({ lines: 4, code: null, count: 0 }),
    *lines(scale) {
      const random = seededRandom(11);
      const n = 1_000_000 * scale;
      yield pair('Repeat the letter.', 'a'.repeat(n));
      yield pair('Spell it.', 'ab'.repeat(n / 2));
      let mixed = '';
      for (let i = 0; i < n / 1000; i++) {
        let chunk = '';
        for (let k = 0; k < 1000; k++) chunk += String.fromCharCode(97 + Math.floor(random() * 26));
        mixed += chunk;
      }
      yield pair('Random letters.', mixed);
      yield pair('Accents.', 'é'.repeat(n / 2));
    },
  },
};

export const PATHOLOGICAL_CLASS_NAMES = Object.keys(PATHOLOGICAL_CLASSES);

/** Writes the class's lines to `path` ('\n'-terminated), in bounded pieces; returns the number of lines. */
export function writePathological(name, path, scale = 1) {
  const spec = PATHOLOGICAL_CLASSES[name];
  if (!spec) throw new Error(`unknown pathological class ${name} (known: ${PATHOLOGICAL_CLASS_NAMES.join(', ')})`);
  const fd = openSync(path, 'w');
  let count = 0;
  let pending = [];
  let pendingLength = 0;
  const flush = () => {
    if (pending.length > 0) writeSync(fd, pending.join(''));
    pending = [];
    pendingLength = 0;
  };
  try {
    for (const text of spec.lines(scale)) {
      count++;
      pending.push(text, '\n');
      pendingLength += text.length + 1;
      if (pendingLength > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return count;
}
