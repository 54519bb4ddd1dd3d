// The validator benchmark's baseline: what any JSONL reader must do at least (read, split lines, JSON.parse).
// Run as a script (`node bareLoop.mjs FILE`) it times the same loop in a process of its own, start included.
import { closeSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function bareLoop(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let carry = '';
  let lines = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const parts = (carry + buffer.toString('utf8', 0, n)).split('\n');
      carry = parts.pop();
      for (const part of parts)
        if (part) {
          JSON.parse(part);
          lines++;
        }
    }
    if (carry) {
      JSON.parse(carry);
      lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(bareLoop(process.argv[2]));
