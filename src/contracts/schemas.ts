// The contracts shared with the Python trainer, as JSON Schema documents keyed by file name.
import * as z from 'zod';
import { RunEvent } from './events';
import { RunStatus } from './status';
import { TrainerConfig } from './trainerConfig';
import { runConfigJsonSchema } from './runConfigFile';
import { EvalReport } from './evalReport';
import { RecoveryFile } from './recovery';

export function generatedSchemas(): Record<string, unknown> {
  return {
    'events.schema.json': z.toJSONSchema(RunEvent),
    'status.schema.json': z.toJSONSchema(RunStatus),
    'config.schema.json': z.toJSONSchema(TrainerConfig),
    'eval-report.schema.json': z.toJSONSchema(EvalReport),
    'recovery.schema.json': z.toJSONSchema(RecoveryFile),
  };
}

/** Schemas contributed to the editor (package.json jsonValidation), written to schemas/ at the repository root. */
export function userSchemas(): Record<string, unknown> {
  return { 'brightrun.schema.json': runConfigJsonSchema() };
}
