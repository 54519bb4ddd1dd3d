// Renders the first examples of a dataset as conversations in Markdown (the tree's "Preview" action). Display
// only: an example that does not look like any format is shown as its raw JSON, never rejected — finding
// problems is the validator's job.

export interface PreviewLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

interface Turn {
  role: string;
  content: string;
}

/** Turns of one example for display, or undefined when it is not an object in a known shape. */
export function displayTurns(value: unknown): Turn[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.messages)) {
    return record.messages.map((m) => {
      const message = (m ?? {}) as Record<string, unknown>;
      const toolCalls = Array.isArray(message.tool_calls) ? `\n\ntool calls: ${JSON.stringify(message.tool_calls)}` : '';
      return { role: String(message.role ?? '?'), content: contentText(message.content) + toolCalls };
    });
  }
  if (Array.isArray(record.conversations)) {
    return record.conversations.map((m) => {
      const message = (m ?? {}) as Record<string, unknown>;
      return { role: String(message.from ?? '?'), content: contentText(message.value) };
    });
  }
  if (has(record, 'instruction') || has(record, 'output')) {
    const turns: Turn[] = [];
    if (record.system) turns.push({ role: 'system', content: contentText(record.system) });
    if (Array.isArray(record.history)) {
      for (const pair of record.history) {
        if (Array.isArray(pair)) turns.push({ role: 'user', content: contentText(pair[0]) }, { role: 'assistant', content: contentText(pair[1]) });
      }
    }
    const input = record.input ? `\n\n${contentText(record.input)}` : '';
    turns.push({ role: 'user', content: contentText(record.instruction) + input }, { role: 'assistant', content: contentText(record.output) });
    return turns;
  }
  if (has(record, 'prompt') || has(record, 'completion')) {
    return [
      { role: 'prompt', content: contentText(record.prompt) },
      { role: 'completion', content: contentText(record.completion) },
    ];
  }
  if (has(record, 'text')) return [{ role: 'text', content: contentText(record.text) }];
  return undefined;
}

/** Only the example's own fields count, never anything inherited from Object.prototype. */
function has(record: Record<string, unknown>, field: string): boolean {
  return Object.hasOwn(record, field);
}

function contentText(content: unknown): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        const p = (part ?? {}) as Record<string, unknown>;
        if (p.type === 'text' && typeof p.text === 'string') return p.text;
        if (p.type === 'image_url') return '[image]';
        return JSON.stringify(part);
      })
      .join('\n');
  }
  return JSON.stringify(content);
}

/**
 * Markdown that shows `text` exactly as written. Every ASCII punctuation character is backslash-escaped, which
 * CommonMark renders as the character itself, so dataset text never becomes an image, a link (inline, reference
 * or auto), a reference definition, HTML, a heading, a list or emphasis, and the preview never fetches anything.
 * Leading blanks become no-break spaces: indentation stays visible without turning a line into a code block.
 */
export function literalMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&').replace(/^[ \t]+/gm, (blanks) => blanks.replace(/\t/g, '    ').replace(/ /g, '\u00a0'));
}

/** A fenced code block that no backtick run inside the text can close (the fence is longer than any of them). */
function codeBlock(text: string, info = ''): string[] {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [fence + info, text, fence];
}

/** User content as a Markdown block quote, shown literally. */
function quote(text: string, limit: number): string {
  const clipped = text.length > limit ? text.slice(0, limit) : text;
  const more = text.length > limit ? `… (${text.length - limit} more characters)` : '';
  return `${clipped
    .split(/\r\n|\r|\n/)
    .map((l) => `> ${literalMarkdown(l)}`)
    .join('\n')}${more}`;
}

export function renderPreview(fileName: string, lines: readonly PreviewLine[], moreLines: boolean, maxChars = 2000): string {
  const out = [
    `# ${literalMarkdown(fileName)}`,
    '',
    `First ${lines.length} example${lines.length === 1 ? '' : 's'}${moreLines ? ' (more follow in the file)' : ''}.`,
    '',
  ];
  for (const { line, text } of lines) {
    out.push(`## Line ${line}`, '');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      out.push('_Not valid JSON:_', '', ...codeBlock(text.slice(0, maxChars)), '');
      continue;
    }
    const turns = displayTurns(value);
    if (!turns) {
      out.push('_Unrecognised shape:_', '', ...codeBlock(JSON.stringify(value, null, 2).slice(0, maxChars), 'json'), '');
      continue;
    }
    for (const turn of turns) out.push(`**${literalMarkdown(turn.role)}**`, '', quote(turn.content, maxChars), '');
  }
  return out.join('\n');
}
