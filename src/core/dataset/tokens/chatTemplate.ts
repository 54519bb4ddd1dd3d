// A model's chat template, chosen and rendered as the trainer does (transformers' apply_chat_template, called by
// python/brightrun_trainer/data/tokenize.py), with @huggingface/jinja: the same template file, the fallback
// template when the model has none, the special tokens as variables, and the rendered conversation cut into
// (text, trained) segments around each trained assistant turn exactly as chat_segments() cuts it.
import { Template } from '@huggingface/jinja';
import type { TrainerMessage } from './trainerExample';

/**
 * tokenize.py's FALLBACK_CHAT_TEMPLATE, used when the tokenizer has no chat template. A copy of the Python
 * string; test/unit/dataset/modelTokens.test.ts checks it is the same as the trainer's.
 */
export const FALLBACK_CHAT_TEMPLATE =
  '{% for message in messages %}' +
  "{% if message['role'] == 'system' %}{{ '### System:\n' + message['content'] + '\n\n' }}" +
  "{% elif message['role'] == 'user' %}{{ '### User:\n' + message['content'] + '\n\n' }}" +
  "{% elif message['role'] == 'assistant' %}{{ '### Assistant:\n' + (message['content'] or '') }}" +
  "{% if message.get('tool_calls') %}{{ message['tool_calls'] | tojson }}{% endif %}{{ eos_token + '\n\n' }}" +
  "{% else %}{{ '### ' + message['role'] | capitalize + ':\n' + message['content'] + '\n\n' }}{% endif %}" +
  '{% endfor %}' +
  "{% if add_generation_prompt %}{{ '### Assistant:\n' }}{% endif %}";

/** A template string, or named templates (tokenizer_config.json's list form, or chat_template.jinja + others). */
export type ChatTemplates = string | Record<string, string> | undefined;

export interface ChatRenderer {
  /** tokenize.py's chat_segments: the rendered conversation as (text, trained) pieces in order. */
  segments(messages: TrainerMessage[], tools: unknown, trainTurns: boolean[]): { text: string; trained: boolean }[];
  readonly usesFallback: boolean;
}

/** Thrown where the trainer would fail to render the example (it then stops on this line with a data error). */
export class TemplateRefused extends Error {}

export function chatRenderer(templates: ChatTemplates, specialTokens: Record<string, unknown>, eosToken: string | undefined): ChatRenderer {
  const usesFallback = templates === undefined || templates === '' || (typeof templates === 'object' && Object.keys(templates).length === 0);
  const compiled = new Map<string, Template>();
  const compile = (source: string) => {
    let template = compiled.get(source);
    if (!template) compiled.set(source, (template = new Template(source)));
    return template;
  };
  const render = (messages: TrainerMessage[], tools: unknown[] | null, addGenerationPrompt: boolean): string => {
    const source = usesFallback ? FALLBACK_CHAT_TEMPLATE : pickTemplate(templates!, tools);
    // apply_chat_template's variables: the special tokens, then messages, tools and documents (None here).
    return compile(source).render({ ...specialTokens, messages, tools, documents: null, add_generation_prompt: addGenerationPrompt });
  };
  return {
    usesFallback,
    segments(messages, rawTools, trainTurns) {
      const tools = toolList(rawTools);
      let full: string;
      try {
        full = render(messages, tools, false);
      } catch (error) {
        throw new TemplateRefused(error instanceof Error ? error.message : String(error));
      }
      const spans: [number, number][] = [];
      let cursor = 0;
      trainTurns.forEach((train, i) => {
        if (!train) return;
        let start: number | undefined;
        let end: number | undefined;
        try {
          const before = i > 0 ? render(messages.slice(0, i), tools, true) : undefined;
          const through = render(messages.slice(0, i + 1), tools, false);
          if (before !== undefined && through.startsWith(before) && full.startsWith(through)) [start, end] = [before.length, through.length];
        } catch {
          // Some templates refuse partial conversations; then the turn's text is found in the whole.
        }
        if (start === undefined || end === undefined || start < cursor) {
          const content = messages[i].content || '';
          const found = content ? full.indexOf(content, cursor) : -1;
          if (found < 0) throw new TemplateRefused(`could not locate assistant turn ${i} in the chat template's output`);
          [start, end] = [found, found + content.length];
          if (eosToken && full.startsWith(eosToken, end)) end += eosToken.length;
        }
        spans.push([start, end]);
        cursor = end;
      });
      const out: { text: string; trained: boolean }[] = [];
      let pos = 0;
      for (const [start, end] of spans) {
        if (start > pos) out.push({ text: full.slice(pos, start), trained: false });
        out.push({ text: full.slice(start, end), trained: true });
        pos = end;
      }
      if (pos < full.length) out.push({ text: full.slice(pos), trained: false });
      return out;
    },
  };
}

/** transformers' get_chat_template: "tool_use" when there are tools and it exists, else "default". */
function pickTemplate(templates: string | Record<string, string>, tools: unknown[] | null): string {
  if (typeof templates === 'string') return templates;
  if (tools !== null && templates.tool_use) return templates.tool_use;
  if (templates.default) return templates.default;
  throw new TemplateRefused(`the model has several chat templates (${Object.keys(templates).sort().join(', ')}) and none is named "default"`);
}

/** The trainer passes tools only when the example has some (a falsy value means none); each must be an object. */
function toolList(tools: unknown): unknown[] | null {
  if (tools === null || tools === undefined || tools === false || tools === 0 || tools === '') return null;
  if (Array.isArray(tools)) {
    if (tools.length === 0) return null;
    if (tools.every((t) => typeof t === 'object' && t !== null && !Array.isArray(t))) return tools;
  } else if (typeof tools === 'object' && Object.keys(tools).length === 0) return null;
  throw new TemplateRefused('"tools" must be a list of tool definitions (objects)');
}
