#!/usr/bin/env node
// Writes the ticket-triage sample task under samples/tickets/: customer messages to Brightwater support, each answered
// with the one-line JSON ticket the support desk files ({"intent","order","product","quantity"}). A pretrained
// chat model does not answer in this house format unprompted; a small LoRA adapter learns it in a few minutes on
// a CPU. Deterministic (fixed seed): re-running it reproduces the committed files byte for byte.
//   node scripts/make-ticket-samples.mjs [OUT_DIR]     (default: samples/tickets)
//
// tickets-train.jsonl         openai-chat, what the adapter is trained on
// tickets-val.jsonl           openai-chat, held out: no message in it appears in the training file
// tickets-val.prompts.jsonl   the first held-out messages as {"prompt", "reference"} for task metrics
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './lib/seededRandom.mjs';

const TRAIN = 160;
const VAL = 32;
// Answered twice (base model and adapter) by every evaluation: few enough for a CPU demo.
const PROMPTS = 12;

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'tickets');
mkdirSync(root, { recursive: true });
const random = seededRandom(20261202);
const pick = (list) => list[Math.floor(random() * list.length)];

const products = [
  'Aurora kettle',
  'Nimbus toaster',
  'Tidal blender',
  'Ember heater',
  'Breeze fan',
  'Glow lamp',
  'Frost fridge',
  'Pulse grinder',
  'Drift humidifier',
  'Spark iron',
  'Quartz oven',
  'Cove vacuum',
];
// Each intent's messages in several phrasings; {p} product, {q} quantity, {o} order number.
const phrasings = {
  cancel: [
    'Please cancel order {o}, I no longer need the {q} x {p}.',
    'I want to cancel my order {o} ({q} x {p}).',
    'Cancel {o} please, I ordered {q} units of the {p} by mistake.',
    'Hi, can you stop order {o} before it ships? It was {q} x {p}.',
  ],
  return: [
    'The {p} from order {o} arrived damaged. I want to return all {q} of them.',
    'I would like to send back the {q} x {p} I got in order {o}.',
    'Order {o}: the {p} (qty {q}) does not work, how do I return it?',
    'Return request for {o}, {q} units of the {p}, wrong colour.',
  ],
  track: [
    'Where is my order {o}? I bought {q} x {p} last week.',
    'Order {o} with {q} units of the {p} has not arrived yet.',
    'Any update on {o}? Still waiting for the {p} (qty {q}).',
    'Can you tell me when order {o} ({q} x {p}) will be delivered?',
  ],
  change_address: [
    'I moved last month. Please ship order {o} ({q} x {p}) to my new address.',
    'Can I change the delivery address for {o}? It has {q} x {p}.',
    'Wrong address on order {o}, the {q} units of the {p} must go to my office.',
    'Please update the shipping address of order {o} for the {p} (qty {q}).',
  ],
};
const intents = Object.keys(phrasings);

function ticket() {
  const intent = pick(intents);
  const product = pick(products);
  const quantity = 1 + Math.floor(random() * 9);
  const order = `BW-${10000 + Math.floor(random() * 90000)}`;
  const message = pick(phrasings[intent]).replace('{p}', product).replace('{q}', String(quantity)).replace('{o}', order);
  return { message, answer: JSON.stringify({ intent, order, product, quantity }) };
}

function unique(count, seen) {
  const out = [];
  while (out.length < count) {
    const t = ticket();
    if (seen.has(t.message)) continue;
    seen.add(t.message);
    out.push(t);
  }
  return out;
}

const seen = new Set();
const train = unique(TRAIN, seen);
const val = unique(VAL, seen);
const chat = (t) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: t.message },
      { role: 'assistant', content: t.answer },
    ],
  });
const write = (name, lines) => writeFileSync(join(root, name), lines.join('\n') + '\n');
write('tickets-train.jsonl', train.map(chat));
write('tickets-val.jsonl', val.map(chat));
write(
  'tickets-val.prompts.jsonl',
  val.slice(0, PROMPTS).map((t) => JSON.stringify({ prompt: t.message, reference: t.answer })),
);
console.log(`wrote ${train.length} training and ${val.length} held-out tickets to ${root}`);
