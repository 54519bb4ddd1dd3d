#!/usr/bin/env node
// Writes the bundled sample datasets under samples/. Deterministic (fixed seed), so re-running it reproduces
// the committed files byte for byte. The chat data is a small support assistant for a made-up product line
// with a deliberately repetitive answer pattern, so a tiny model can visibly learn it in a short CPU run.
//   node scripts/make-samples.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './lib/seededRandom.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');
mkdirSync(root, { recursive: true });

const random = seededRandom(20261124);
const pick = (list) => list[Math.floor(random() * list.length)];

const SYSTEM = 'You are Lumo, the support assistant for Brightwater home appliances. Answer in one or two short sentences.';
const products = [
  { name: 'Aurora kettle', warranty: 2, colour: 'slate grey', power: '2200 W', code: 'AK' },
  { name: 'Nimbus toaster', warranty: 3, colour: 'cream', power: '900 W', code: 'NT' },
  { name: 'Tidal blender', warranty: 5, colour: 'ocean blue', power: '1200 W', code: 'TB' },
  { name: 'Ember heater', warranty: 2, colour: 'matte black', power: '1800 W', code: 'EH' },
  { name: 'Breeze fan', warranty: 1, colour: 'white', power: '45 W', code: 'BF' },
  { name: 'Glow lamp', warranty: 4, colour: 'sand', power: '12 W', code: 'GL' },
  { name: 'Frost fridge', warranty: 6, colour: 'steel', power: '150 W', code: 'FF' },
  { name: 'Pulse grinder', warranty: 2, colour: 'copper', power: '200 W', code: 'PG' },
  { name: 'Drift humidifier', warranty: 3, colour: 'mint', power: '30 W', code: 'DH' },
  { name: 'Spark iron', warranty: 2, colour: 'red', power: '2400 W', code: 'SI' },
  { name: 'Quartz oven', warranty: 5, colour: 'graphite', power: '2000 W', code: 'QO' },
  { name: 'Cove vacuum', warranty: 3, colour: 'lilac', power: '600 W', code: 'CV' },
];
const intents = [
  {
    ask: (p) => pick([`How long is the warranty on the ${p.name}?`, `What warranty does the ${p.name} come with?`, `Is the ${p.name} under warranty?`]),
    answer: (p) => `The ${p.name} has a ${p.warranty}-year warranty. Keep your receipt and quote code ${p.code}-W${p.warranty} when you call.`,
  },
  {
    ask: (p) => pick([`What colour is the ${p.name}?`, `Which colour does the ${p.name} come in?`, `Does the ${p.name} come in ${p.colour}?`]),
    answer: (p) => `The ${p.name} comes in ${p.colour}. Other colours are not available this season.`,
  },
  {
    ask: (p) => pick([`How much power does the ${p.name} use?`, `What is the wattage of the ${p.name}?`, `Is the ${p.name} energy hungry?`]),
    answer: (p) => `The ${p.name} is rated at ${p.power}. Check the label under the base to confirm.`,
  },
  {
    ask: (p) => pick([`My ${p.name} stopped working, what should I do?`, `The ${p.name} will not turn on.`, `Help, my ${p.name} is broken!`]),
    answer: (p) => `Unplug the ${p.name}, wait ten seconds and plug it back in. If it still fails, book a repair with code ${p.code}-R.`,
  },
  {
    ask: (p) => pick([`How do I clean the ${p.name}?`, `What is the best way to clean my ${p.name}?`, `Can I wash the ${p.name}?`]),
    answer: (p) => `Wipe the ${p.name} with a damp cloth once it is cold and unplugged. Never put it in the dishwasher.`,
  },
];
const greetings = ['', 'Hi! ', 'Hello, ', 'Quick question: ', 'Hey there. ', 'Good morning! '];

// Every (product, intent, phrasing, greeting) combination is one candidate; the train and validation sets
// draw from disjoint candidates so there is no overlap between them.
function makeChat(count, used) {
  const lines = [];
  let guard = 0;
  while (lines.length < count && guard++ < 100000) {
    const p = pick(products);
    const intent = pick(intents);
    const user = pick(greetings) + intent.ask(p);
    const key = user;
    if (used.has(key)) continue;
    used.add(key);
    const messages = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
      { role: 'assistant', content: intent.answer(p) },
    ];
    lines.push(JSON.stringify({ messages }));
  }
  return lines;
}

const used = new Set();
const train = makeChat(300, used);
const val = makeChat(40, used);
const write = (name, lines) => writeFileSync(join(root, name), lines.join('\n') + '\n');
write('chat-train.jsonl', train);
write('chat-val.jsonl', val);

// One small file per other format, from the same facts.
const facts = products.flatMap((p) => intents.map((intent) => ({ p, q: intent.ask(p), a: intent.answer(p) })));
const few = facts.filter((_, i) => i % 3 === 0).slice(0, 20);
write(
  'sharegpt.jsonl',
  few.map(({ q, a }) =>
    JSON.stringify({
      conversations: [
        { from: 'system', value: SYSTEM },
        { from: 'human', value: q },
        { from: 'gpt', value: a },
      ],
    }),
  ),
);
write(
  'alpaca.jsonl',
  few.map(({ q, a }) => JSON.stringify({ instruction: q, input: '', output: a })),
);
write(
  'prompt-completion.jsonl',
  few.map(({ q, a }) => JSON.stringify({ prompt: `Customer: ${q}\nLumo:`, completion: ` ${a}` })),
);
write(
  'text.jsonl',
  few.map(({ q, a }) => JSON.stringify({ text: `Customer: ${q}\nLumo: ${a}` })),
);

// The showcase of problems: one line per rule, explained in samples/README.md (keep the two in step).
const ok = (u, a) => ({
  messages: [
    { role: 'user', content: u },
    { role: 'assistant', content: a },
  ],
});
const broken = [
  JSON.stringify(ok('What colour is the Glow lamp?', 'The Glow lamp comes in sand.')),
  '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},]}',
  '["not", "an", "object"]',
  '{"mesages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}',
  '{"messages": []}',
  '{"messages": [{"content": "Who made you?"}, {"role": "assistant", "content": "Brightwater."}]}',
  '{"messages": [{"role": "user", "contents": "Is the Breeze fan quiet?"}, {"role": "assistant", "content": "Yes, 30 dB."}]}',
  '{"messages": [{"role": "customer", "content": "Hello"}, {"role": "assistant", "content": "Hi!"}]}',
  '{"messages": [{"role": "user", "content": "Hello"}, {"role": "assistant"}]}',
  '{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello?"}]}',
  '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello", "weight": 2}]}',
  '{"messages": [{"role": "user", "content": "Hi"}, {"role": "user", "content": "Anyone?"}, {"role": "assistant", "content": "Yes."}]}',
  '{"messages": [{"role": "user", "content": "Hi"}, {"role": "system", "content": "Be brief."}, {"role": "assistant", "content": "Hello."}]}',
  '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{}"}}]}, {"role": "assistant", "content": "Sunny."}]}',
  JSON.stringify(ok('What colour is the Glow lamp?', 'The Glow lamp comes in sand.')),
  '{"messages": [{"role": "user", "content": "   "}, {"role": "assistant", "content": "Could you repeat that?"}]}',
  '',
  '{"prompt": "Customer: Hi\\nLumo:", "completion": " Hello!"}',
  JSON.stringify(ok('Tell me everything about the Frost fridge.', 'The Frost fridge '.repeat(700).trim())),
  '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Thanks"}]}',
  '{"messages": [{"role": "user", "content": "Which kettle? \\ud83d"}, {"role": "assistant", "content": "The Aurora kettle."}]}',
  '{"messages": [{"role": "user", "content": "Is the Glow lamp dimmable?", "weight": 0}, {"role": "assistant", "content": "Yes, in three steps."}]}',
  '{"messages": [{"role": "user", "content": [{"type": "text", "text": "Which model is this?"}, {"type": "image_url", "image_url": {"url": "https://example.com/kettle.png"}}]}, {"role": "assistant", "content": "The Aurora kettle."}]}',
];
write('broken.jsonl', broken);
console.log(`samples written to ${root}`);
