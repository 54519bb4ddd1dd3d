// An example as the trainer reads it (python/brightrun_trainer/data/formats.py, mirrored here line for line):
// chat messages with the turns it trains on, or plain text. Every format but `text` becomes messages:
// prompt-completion is a user turn and an assistant turn, alpaca its history plus instruction (+ input) and
// output. Undefined where the trainer would refuse the line; the validator reports why on its own.
import type { DatasetFormat } from '../../../contracts/trainerConfig';

export interface TrainerMessage {
  role: string;
  content: string;
  [key: string]: unknown;
}

export type TrainerExample = { kind: 'chat'; messages: TrainerMessage[]; tools: unknown; trainTurns: boolean[] } | { kind: 'text'; text: string };

const SHAREGPT_ROLES: Record<string, string> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bing: 'assistant',
  bard: 'assistant',
  model: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'tool',
  observation: 'tool',
  function_response: 'tool',
  function_call: 'assistant',
};
const CHAT_ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer', 'function']);

class Refused extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function trainerExample(format: DatasetFormat, example: Record<string, unknown>): TrainerExample | undefined {
  try {
    const converted = convert(format, example);
    if (converted.kind === 'chat' && !converted.trainTurns.some(Boolean)) return undefined;
    return converted;
  } catch (error) {
    if (error instanceof Refused) return undefined;
    throw error;
  }
}

function convert(format: DatasetFormat, obj: Record<string, unknown>): TrainerExample {
  switch (format) {
    case 'openai-chat':
      return fromOpenAi(obj);
    case 'sharegpt':
      return fromShareGpt(obj);
    case 'alpaca':
      return fromAlpaca(obj);
    case 'prompt-completion':
      return fromPromptCompletion(obj);
    case 'text':
      if (typeof obj.text !== 'string' || obj.text === '') throw new Refused();
      return { kind: 'text', text: obj.text };
    case 'openai-preference':
    case 'pairs':
      // A pair is two sequences: exampleTokens.ts counts each side as an openai-chat example.
      throw new Refused();
  }
}

function textOf(content: unknown): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string') throw new Refused();
        return part.text;
      })
      .join('');
  }
  throw new Refused();
}

function fromOpenAi(obj: Record<string, unknown>): TrainerExample {
  const messages = obj.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw new Refused();
  const out: TrainerMessage[] = [];
  const trainTurns: boolean[] = [];
  for (const m of messages) {
    if (!isObject(m) || typeof m.role !== 'string' || !CHAT_ROLES.has(m.role)) throw new Refused();
    const message: TrainerMessage = { role: m.role, content: textOf(m.content) };
    for (const key of ['name', 'tool_calls', 'tool_call_id']) if (key in m) message[key] = m[key];
    const weight = 'weight' in m ? m.weight : 1;
    if (weight !== 0 && weight !== 1) throw new Refused();
    out.push(message);
    trainTurns.push(m.role === 'assistant' && weight === 1);
  }
  return { kind: 'chat', messages: out, tools: obj.tools ?? null, trainTurns };
}

function fromShareGpt(obj: Record<string, unknown>): TrainerExample {
  const turns = obj.conversations;
  if (!Array.isArray(turns) || turns.length === 0) throw new Refused();
  const out: TrainerMessage[] = turns.map((t) => {
    if (!isObject(t) || typeof t.from !== 'string' || !Object.hasOwn(SHAREGPT_ROLES, t.from)) throw new Refused();
    return { role: SHAREGPT_ROLES[t.from], content: textOf(t.value) };
  });
  if (typeof obj.system === 'string' && out[0].role !== 'system') out.unshift({ role: 'system', content: obj.system });
  return { kind: 'chat', messages: out, tools: null, trainTurns: out.map((m) => m.role === 'assistant') };
}

function fromAlpaca(obj: Record<string, unknown>): TrainerExample {
  if (typeof obj.instruction !== 'string' || typeof obj.output !== 'string') throw new Refused();
  const out: TrainerMessage[] = [];
  if (typeof obj.system === 'string' && obj.system) out.push({ role: 'system', content: obj.system });
  const history = obj.history || [];
  if (!Array.isArray(history)) throw new Refused();
  for (const pair of history) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => typeof x === 'string')) throw new Refused();
    out.push({ role: 'user', content: pair[0] as string }, { role: 'assistant', content: pair[1] as string });
  }
  const prompt = typeof obj.input === 'string' && obj.input ? `${obj.instruction}\n\n${obj.input}` : obj.instruction;
  out.push({ role: 'user', content: prompt }, { role: 'assistant', content: obj.output });
  return { kind: 'chat', messages: out, tools: null, trainTurns: out.map((m) => m.role === 'assistant') };
}

function fromPromptCompletion(obj: Record<string, unknown>): TrainerExample {
  if (typeof obj.prompt !== 'string' || typeof obj.completion !== 'string') throw new Refused();
  return {
    kind: 'chat',
    messages: [
      { role: 'user', content: obj.prompt },
      { role: 'assistant', content: obj.completion },
    ],
    tools: null,
    trainTurns: [false, true],
  };
}
