// One human-readable line per event: the CLI prints it, and the trainer writes the same line to trainer.log (which
// the monitor's log tail shows). The trainer formats in Python, because trainer.log must read on its own on the
// GPU host; one table of event -> line (protocol/golden/event-lines.json, written from this function by
// scripts/gen-event-lines.ts) is checked by both sides' tests, so the two cannot drift apart.
import type { RunEvent } from '../../contracts/events';
import { TRACKER_LABELS } from '../../contracts/tracking';

const num = (n: number | null | undefined, digits = 4) => (n === null || n === undefined ? '-' : n.toFixed(digits));

/** A preference run's margin and accuracy (and ORPO's odds-ratio loss), where the event has them. */
function preferenceWords(e: { reward_margin?: number; preference_accuracy?: number; or_loss?: number }): string {
  const margin = e.reward_margin === undefined ? '' : `  margin ${num(e.reward_margin)}`;
  const accuracy = e.preference_accuracy === undefined ? '' : `  pref acc ${(e.preference_accuracy * 100).toFixed(1)}%`;
  const orLoss = e.or_loss === undefined ? '' : `  or_loss ${num(e.or_loss)}`;
  return margin + accuracy + orLoss;
}

export function formatEvent(e: RunEvent, extra: { costUsd?: number | null; evalLoss?: number | null } = {}): string {
  switch (e.type) {
    case 'stage':
      return `== ${e.name}`;
    case 'plan':
      return `plan: ${e.total_steps} steps, ${e.train_examples} train / ${e.eval_examples} eval examples, ${e.train_tokens} tokens on ${e.device} (${e.precision})${e.resumed_from_step ? `, resumed from step ${e.resumed_from_step}` : ''}`;
    case 'metrics': {
      const cost = extra.costUsd === undefined || extra.costUsd === null ? '' : `  cost $${extra.costUsd.toFixed(2)}`;
      const total = e.total_steps === undefined ? '' : `/${e.total_steps}`;
      const evalLoss = extra.evalLoss === undefined || extra.evalLoss === null ? '' : `  eval ${num(extra.evalLoss)}`;
      return `step ${e.step}${total}  loss ${num(e.loss)}  lr ${e.learning_rate.toExponential(2)}  ${Math.round(e.tokens_per_s)} tok/s${preferenceWords(e)}${evalLoss}${cost}`;
    }
    case 'eval':
      return `eval @ step ${e.step}  eval_loss ${num(e.eval_loss)}  perplexity ${num(e.perplexity, 2)}${preferenceWords(e)}`;
    case 'checkpoint':
      return `checkpoint @ step ${e.step}: ${e.path}`;
    case 'log':
      return `[${e.level}] ${e.message}`;
    case 'error':
      return `ERROR (${e.kind}) ${e.message}${e.file ? ` [${e.file}${e.line ? `:${e.line}` : ''}]` : ''}${e.hint ? `\n  hint: ${e.hint}` : ''}`;
    case 'attempt': {
      const from = e.from_step > 0 ? `resuming from step ${e.from_step}` : 'starting over (no checkpoint yet)';
      const changes = e.changes.map((c) => `${c.setting} ${c.from} -> ${c.to}`).join(', ');
      return `attempt ${e.number} (${e.reason}): ${from}${changes ? `; ${changes}` : ''}\n  ${e.message}`;
    }
    case 'tracker':
      return `tracking: ${TRACKER_LABELS[e.tracker]} ${e.location}${e.command ? `  (${e.command})` : ''}`;
    case 'done': {
      const s = e.summary;
      return (
        `done: ${e.state} after ${s.steps} steps in ${s.wall_s.toFixed(1)} s (${Math.round(s.tokens_per_s)} tok/s)` +
        `, final loss ${num(s.final_loss)}, eval loss ${num(s.final_eval_loss)}${e.adapter ? `\n  adapter: ${e.adapter}` : ''}`
      );
    }
  }
}
