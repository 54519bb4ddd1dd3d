import { describe, expect, it } from 'vitest';
import { isConnectionLost, retryOnLostConnection } from '../../../src/core/runs/launchRetry';

const lost = () => Object.assign(new Error('The SSH connection to gpu-box was lost during the upload.'), { retryable: true });

describe('launch retries', () => {
  it('tries a step again after a lost connection, saying so, until it succeeds', async () => {
    const notes: string[] = [];
    let calls = 0;
    const result = await retryOnLostConnection(
      'uploading',
      async () => {
        if (++calls < 3) throw lost();
        return 'done';
      },
      (m) => notes.push(m),
      [0, 0, 0],
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(notes).toEqual([
      expect.stringMatching(/^uploading: The SSH connection .* lost .* Trying again in 0 s \(1 of 3\)\.$/),
      expect.stringMatching(/\(2 of 3\)/),
    ]);
  });

  it('fails at once on an error a retry cannot fix, and after the last try on a lost connection', async () => {
    const refused = new Error('Host key changed');
    await expect(
      retryOnLostConnection(
        'x',
        () => Promise.reject(refused),
        () => {},
        [0, 0],
      ),
    ).rejects.toBe(refused);
    let calls = 0;
    await expect(
      retryOnLostConnection(
        'x',
        () => {
          calls++;
          return Promise.reject(lost());
        },
        () => {},
        [0, 0],
      ),
    ).rejects.toThrow(/lost/);
    expect(calls).toBe(3);
    expect(isConnectionLost(new Error('plain'))).toBe(false);
    expect(isConnectionLost(lost())).toBe(true);
  });
});
