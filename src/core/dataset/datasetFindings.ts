// The dataset-level findings, built in one place so the file validator and the incremental DocumentValidator
// word and place them identically; and the one order findings are listed in.
import type { DatasetFormat } from '../../contracts/trainerConfig';
import { checkExample, FORMAT_KEY } from './formats';
import { closestName, keyAt, quotedList, valueAt, type LineIssue } from './issues';
import { RULES, type RuleCode } from './rules';
import type { Finding, ValidationSet } from '../../contracts/dataset';

function wholeLine(line: number, length: number, code: RuleCode, message: string): Finding {
  return { line, column: 1, endColumn: length + 1, code, severity: RULES[code].severity, message };
}

export function duplicateFinding(line: number, first: number, length: number): Finding {
  return {
    ...wholeLine(line, length, 'duplicate_example', `This example is an exact copy of line ${first}; duplicates over-weight one example. Delete one copy.`),
    related: [{ line: first, message: 'first copy of this example' }],
    fixes: [{ kind: 'deleteLine', title: `Delete this duplicate of line ${first}`, line }],
  };
}

export function overlapFinding(line: number, length: number, valLine: number, set: ValidationSet): Finding {
  return {
    ...wholeLine(
      line,
      length,
      'train_val_overlap',
      `This example also appears in the validation file (line ${valLine}); remove it from one of the two so evaluation measures generalisation.`,
    ),
    related: [{ line: valLine, file: set.file, message: 'the same example in the validation file' }],
  };
}

/** `pair`: the example is a preference pair, whose length is its prompt plus the longer response. */
export function tooLongFinding(line: number, length: number, tokens: number, maxSeqLen: number, pair = false): Finding {
  if (pair) {
    return wholeLine(
      line,
      length,
      'too_long',
      `The pair is ${tokens} tokens (prompt + longer response), over the maximum sequence length of ${maxSeqLen}; the responses will be truncated, and a cut-off response compares badly. Shorten the prompt or responses, or raise max_seq_len.`,
    );
  }
  return wholeLine(
    line,
    length,
    'too_long',
    `The example is ${tokens} tokens, over the maximum sequence length of ${maxSeqLen}; it will be truncated (or dropped). Shorten or split it, or raise max_seq_len.`,
  );
}

export function duplicatePairFinding(line: number, first: number, length: number): Finding {
  return {
    ...wholeLine(
      line,
      length,
      'duplicate_pair',
      `This pair has the same prompt, chosen and rejected responses as line ${first} (written differently); duplicates over-weight one comparison. Delete one copy.`,
    ),
    related: [{ line: first, message: 'first copy of this pair' }],
    fixes: [{ kind: 'deleteLine', title: `Delete this duplicate of the pair on line ${first}`, line }],
  };
}

/** Said once per file, on its first pair. */
export function lengthBiasFinding(line: number, length: number, share: number, pairs: number, threshold: number): Finding {
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  const longer = share > 0.5 ? 'longer' : 'shorter';
  return wholeLine(
    line,
    length,
    'length_bias',
    `The chosen response is ${longer} than the rejected one in ${pct(share > 0.5 ? share : 1 - share)} of ${pairs} pairs (of unequal length): preference tuning may learn to prefer ${longer} answers rather than better ones. Add pairs where the chosen response is the ${share > 0.5 ? 'shorter' : 'longer'} one (the share should stay between ${pct(1 - threshold)} and ${pct(threshold)}).`,
  );
}

export function emptyLineFinding(line: number): Finding {
  return {
    ...wholeLine(line, 0, 'empty_line', 'Blank line between examples; many JSONL loaders fail on it. Delete the line.'),
    fixes: [{ kind: 'deleteLine', title: 'Delete the blank line', line }],
  };
}

export function mixedFormatsFinding(
  line: number,
  length: number,
  format: DatasetFormat,
  fileFormat: DatasetFormat,
  formatLine: number,
  count: number,
): Finding {
  return {
    ...wholeLine(
      line,
      length,
      'mixed_formats',
      `This example is ${format} but the file is ${fileFormat} (from line ${formatLine}); ${count} example(s) differ. Keep one format per file (convert the others to ${fileFormat}).`,
    ),
    related: [{ line: formatLine, message: `first ${fileFormat} example` }],
  };
}

/** Said once per file, on the first example with image parts. */
export function imageContentFinding(line: number, length: number, lines: number, parts: number): Finding {
  const where = lines > 1 ? `This example and ${lines - 1} more have ${parts} image part(s) in all` : `This example has ${parts} image part(s)`;
  return wholeLine(
    line,
    length,
    'image_content',
    `${where}: a text-only model drops image parts and is trained on the text parts only. Remove the images, or train a vision model.`,
  );
}

export function emptyFileFinding(): Finding {
  return wholeLine(1, 0, 'empty_file', 'The file has no examples; add one JSON object per line.');
}

/** An object of no recognisable format: reported as missing what the file's format requires. The issues are not yet
 *  placed on the line (placing them costs a scan of the line). */
export function unknownFormatIssues(text: string, fileFormat: DatasetFormat | null): LineIssue[] {
  let example: Record<string, unknown>;
  try {
    example = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  let issues: LineIssue[];
  const format = fileFormat ?? guessFormat(example);
  if (format) {
    issues = checkExample(format, example).issues;
  } else {
    const keys = Object.keys(example);
    issues = [
      {
        code: 'unknown_format',
        message: `Unrecognised example (keys: ${keys.length ? quotedList(keys) : 'none'}); use one of: {"messages": [...]}, {"conversations": [...]}, {"instruction", "output"}, {"prompt", "completion"}, {"text"}, {"prompt", "chosen", "rejected"}, {"input", "preferred_output", "non_preferred_output"}.`,
        at: keys.length ? keyAt(keys[0]) : valueAt(),
      },
    ];
  }
  return issues;
}

/** With no recognisable example in the file yet, a key one typo away from a format's key says the format. */
function guessFormat(example: Record<string, unknown>): DatasetFormat | null {
  const formatKeys = Object.values(FORMAT_KEY);
  for (const key in example) {
    const near = closestName(key, formatKeys);
    if (near) return (Object.keys(FORMAT_KEY) as DatasetFormat[]).find((f) => FORMAT_KEY[f] === near) ?? null;
  }
  return null;
}
