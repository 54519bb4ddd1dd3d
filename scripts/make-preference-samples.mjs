#!/usr/bin/env node
// Writes the preference sample task under samples/preference/: the ticket-triage task of make-ticket-samples.mjs
// as preference pairs. Each customer message to Brightwater support has a chosen answer, the one-line JSON ticket
// the support desk files, and a rejected one that is clearly worse: chatty prose around the ticket, malformed
// JSON, a wrong field, a ticket with fields missing, or no ticket at all. The rejected answers are longer than
// the chosen one about as often as they are shorter, so length alone does not tell them apart (no length_bias).
// Deterministic (fixed seed): re-running it reproduces the committed files byte for byte.
//   node scripts/make-preference-samples.mjs [OUT_DIR]     (default: samples/preference)
//
// train.jsonl    pairs format ({"prompt", "chosen", "rejected"}), what dpo / orpo train on
// val.jsonl      pairs format, held out: no message in it appears in the training file
// broken.jsonl   one problem per line for the preference rules (samples/README.md lists them)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './lib/seededRandom.mjs';

const TRAIN = 240;
const VAL = 48;

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'preference');
mkdirSync(root, { recursive: true });
const random = seededRandom(20261203);
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
  ],
  return: [
    'The {p} from order {o} arrived damaged. I want to return all {q} of them.',
    'I would like to send back the {q} x {p} I got in order {o}.',
    'Return request for {o}, {q} units of the {p}, wrong colour.',
  ],
  track: [
    'Where is my order {o}? I bought {q} x {p} last week.',
    'Any update on {o}? Still waiting for the {p} (qty {q}).',
    'Can you tell me when order {o} ({q} x {p}) will be delivered?',
  ],
  change_address: [
    'I moved last month. Please ship order {o} ({q} x {p}) to my new address.',
    'Can I change the delivery address for {o}? It has {q} x {p}.',
    'Wrong address on order {o}, the {q} units of the {p} must go to my office.',
  ],
};
const intents = Object.keys(phrasings);

// The ways an answer goes wrong; about half are longer than the ticket, half shorter.
const rejections = [
  // Longer: prose around the ticket, which the desk's parser cannot read.
  (t) => `Sure! I have filed this for you: ${t.answer} Let me know if there is anything else I can help with today.`,
  (t) =>
    `Thanks for reaching out, and sorry for the trouble with your ${t.product}! I will look into order ${t.order} for you right away and get back to you soon.`,
  // About as long: malformed JSON, or a wrong field.
  (t) => t.answer.replace(/"/g, "'"),
  (t) => JSON.stringify({ intent: intents[(intents.indexOf(t.intent) + 1) % intents.length], order: t.order, product: t.product, quantity: t.quantity }),
  // Shorter: fields missing, or no ticket at all.
  (t) => JSON.stringify({ intent: t.intent }),
  (t) => `${t.intent} ${t.order}`,
  () => 'OK.',
];

function ticket() {
  const intent = pick(intents);
  const product = pick(products);
  const quantity = 1 + Math.floor(random() * 9);
  const order = `BW-${10000 + Math.floor(random() * 90000)}`;
  const message = pick(phrasings[intent]).replace('{p}', product).replace('{q}', String(quantity)).replace('{o}', order);
  return { intent, product, quantity, order, message, answer: JSON.stringify({ intent, order, product, quantity }) };
}

function unique(count, seen) {
  const out = [];
  while (out.length < count) {
    const t = ticket();
    if (seen.has(t.message)) continue;
    seen.add(t.message);
    out.push({ prompt: t.message, chosen: t.answer, rejected: pick(rejections)(t) });
  }
  return out;
}

const seen = new Set();
const train = unique(TRAIN, seen);
const val = unique(VAL, seen);
const write = (name, lines) => writeFileSync(join(root, name), lines.join('\n') + '\n');
write(
  'train.jsonl',
  train.map((p) => JSON.stringify(p)),
);
write(
  'val.jsonl',
  val.map((p) => JSON.stringify(p)),
);

// broken.jsonl: one problem per line, then valid pairs whose chosen answer is always the longer one (length_bias).
const good = unique(25, seen);
const [first] = good;
const user = (content) => ({ role: 'user', content });
const assistant = (content) => ({ role: 'assistant', content });
const broken = [
  first,
  { prompt: good[1].prompt, chosen: good[1].chosen },
  { prompt: good[2].prompt, choosen: good[2].chosen, rejected: 'OK.' },
  { prompt: good[3].prompt, chosen: good[3].chosen, rejected: '   ' },
  { prompt: good[4].prompt, chosen: good[4].chosen, rejected: good[4].chosen },
  { prompt: [{ role: 'system', content: 'File a one-line JSON ticket for each message.' }], chosen: good[5].chosen, rejected: 'OK.' },
  { prompt: good[6].prompt, chosen: [user(good[6].chosen)], rejected: [assistant('OK.')] },
  { rejected: first.rejected, prompt: first.prompt, chosen: first.chosen },
  { prompt: good[7].prompt, chosen: `${good[7].chosen} ${'And here is the full order history, line by line. '.repeat(220)}`, rejected: 'OK.' },
  { input: { messages: [user(good[8].prompt)] }, preferred_output: good[8].chosen, non_preferred_output: [assistant('OK.')] },
  ...good.slice(9).map((p) => ({ prompt: p.prompt, chosen: p.chosen, rejected: 'OK.' })),
];
write(
  'broken.jsonl',
  broken.map((p) => JSON.stringify(p)),
);

const longer = (pairs) => pairs.filter((p) => p.chosen.length > p.rejected.length).length / pairs.length;
console.log(
  `wrote ${train.length} training and ${val.length} held-out pairs to ${root} (chosen longer in ${Math.round(100 * longer(train))}% of the training pairs, by characters)`,
);
console.log(`wrote ${broken.length} lines to ${join(root, 'broken.jsonl')}`);
