// Writes the `brightrun.validation.*` settings (rule codes from the validator's RULES) into package.json.
// Read-modify-write in one step, touching only those entries, so other contributions are preserved.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { withValidationSettings } from '../src/vscode/validation/settingsContribution';

const path = 'package.json';
const manifest = JSON.parse(readFileSync(path, 'utf8'));
withValidationSettings(manifest);
writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
renameSync(`${path}.tmp`, path);
console.log('package.json: brightrun.validation.* settings updated');
