// Why a trainer stopped without writing its `done` event, in words a user can act on. The evidence is the
// run's last `error` event (when the trainer got to report one) and the tail of trainer.log.
import type { ErrorEvent } from '../../contracts/events';

export interface ExitExplanation {
  kind: 'oom' | 'cuda' | 'killed' | 'exception' | 'unknown';
  reason: string;
}

const OOM_HINT = 'lower batchSize or maxSeqLen, enable gradientCheckpointing, or use 4bit quantization';

export function explainExit(logTail: string, lastError?: ErrorEvent): ExitExplanation {
  if (lastError) {
    const hint = lastError.hint ? ` (${lastError.hint})` : '';
    const kind = lastError.kind === 'oom' || lastError.kind === 'cuda' || lastError.kind === 'killed' ? lastError.kind : 'exception';
    return { kind, reason: `${lastError.message}${hint}` };
  }
  const lines = logTail
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const text = lines.join('\n');
  if (/CUDA out of memory|OutOfMemoryError/.test(text)) {
    return { kind: 'oom', reason: `the GPU ran out of memory: ${OOM_HINT}` };
  }
  if (/CUDA error|cuDNN error|NCCL error/.test(text)) {
    const line = lines.filter((l) => /CUDA error|cuDNN error|NCCL error/.test(l)).at(-1) ?? '';
    return { kind: 'cuda', reason: `a CUDA failure stopped the trainer: ${line.trim()}` };
  }
  if (/^\s*MemoryError\b/m.test(text)) {
    return { kind: 'oom', reason: `the host ran out of RAM (MemoryError): ${OOM_HINT}` };
  }
  const traceback = text.lastIndexOf('Traceback (most recent call last):');
  if (traceback !== -1) {
    const after = text.slice(traceback).split('\n');
    const exceptionLine = after.filter((l) => /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b/.test(l)).at(-1);
    if (exceptionLine && /^(ModuleNotFoundError|ImportError)\b/.test(exceptionLine)) {
      return {
        kind: 'exception',
        reason: `the trainer's Python lacks a package (${exceptionLine.trim()}): install python/requirements.txt into it, or point BrightRun at a Python that has torch, transformers and peft`,
      };
    }
    if (exceptionLine) return { kind: 'exception', reason: `the trainer crashed: ${exceptionLine.trim()}` };
  }
  if (lines.some((l) => /^(Killed|.*\bKilled\s*$)/.test(l.trim()))) {
    return {
      kind: 'killed',
      reason: 'the trainer was killed by the system (often the out-of-memory killer): ' + OOM_HINT,
    };
  }
  const last = lines.at(-1);
  return {
    kind: 'killed',
    reason:
      'the trainer process ended without reporting why (killed with SIGKILL, by the out-of-memory killer, or the host rebooted)' +
      (last ? `; last log line: ${last.trim().slice(0, 300)}` : ''),
  };
}
