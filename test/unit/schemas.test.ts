import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { generatedSchemas } from '../../src/contracts/schemas';

describe('generated JSON Schemas shared with the trainer', () => {
  for (const [file, schema] of Object.entries(generatedSchemas())) {
    it(`${file} is up to date (run npm run gen:schemas)`, () => {
      const onDisk = JSON.parse(readFileSync(`python/brightrun_trainer/schemas/${file}`, 'utf8'));
      expect(onDisk).toEqual(JSON.parse(JSON.stringify(schema)));
    });
  }
});
