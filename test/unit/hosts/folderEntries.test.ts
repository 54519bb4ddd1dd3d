// Names a host lists for a folder download: which can become local file names, and where they land.
import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { shownName, targetInside, unsafeEntryName } from '../../../src/core/hosts/folderEntries';

describe('folder entries from a host', () => {
  it('accepts ordinary names, including ones that merely start with dots', () => {
    for (const name of ['adapter_model.safetensors', '..not-a-parent', '.hidden', 'a b (1).json', 'ünïcödé', 'x'.repeat(255)]) {
      expect(unsafeEntryName(name)).toBeNull();
    }
  });

  it('refuses names that are not one plain file name', () => {
    expect(unsafeEntryName('')).toMatch(/not a file name/);
    expect(unsafeEntryName('.')).toMatch(/not a file name/);
    expect(unsafeEntryName('..')).toMatch(/not a file name/);
    expect(unsafeEntryName('../../x')).toMatch(/path separator/);
    expect(unsafeEntryName('/etc/passwd')).toMatch(/path separator/);
    expect(unsafeEntryName('..\\..\\x')).toMatch(/path separator/);
    expect(unsafeEntryName('a\0b')).toMatch(/NUL/);
    expect(unsafeEntryName('a\nb')).toMatch(/control character/);
    expect(unsafeEntryName('é'.repeat(128))).toMatch(/longer than 255 bytes/);
  });

  it('resolves a target only when it stays inside the folder', () => {
    const root = resolve('/tmp/adapters/r1');
    expect(targetInside(root, ['sub', 'a.json'])).toBe(join(root, 'sub', 'a.json'));
    expect(targetInside(root, ['..not-a-parent'])).toBe(join(root, '..not-a-parent'));
    expect(targetInside(root, ['..', 'x'])).toBeNull();
    expect(targetInside(root, ['sub', '..', '..', 'x'])).toBeNull();
    expect(targetInside(root, [])).toBeNull();
  });

  it('shows control characters in messages as escapes', () => {
    expect(shownName('a\nb\0c')).toBe('a\\nb\\u0000c');
  });
});
