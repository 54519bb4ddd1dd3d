// Writes the JSON Schemas that the Python trainer is tested against, from the zod sources of truth.
// `npm run gen:schemas` rewrites them; test/unit/schemas.test.ts fails when they are stale.
import { writeFileSync, mkdirSync } from 'node:fs';
import { generatedSchemas, userSchemas } from '../src/contracts/schemas';

const dir = 'python/brightrun_trainer/schemas';
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(generatedSchemas())) {
  writeFileSync(`${dir}/${file}`, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${dir}/${file}`);
}

// The run-config schema users' editors validate *.brightrun.json files against.
mkdirSync('schemas', { recursive: true });
for (const [file, schema] of Object.entries(userSchemas())) {
  writeFileSync(`schemas/${file}`, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote schemas/${file}`);
}
