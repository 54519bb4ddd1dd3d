// The contracts shared with the Python trainer, as JSON Schema documents keyed by file name.
import { z } from 'zod';
import { RunEvent } from './runs/events';
import { RunStatus } from './runs/status';
import { TrainerConfig } from './config/trainerConfig';
import { runConfigJsonSchema } from './config/runConfigFile';
import { EvalReport } from './evaluation/evalReport';

export function generatedSchemas(): Record<string, unknown> {
  return {
    'events.schema.json': z.toJSONSchema(RunEvent),
    'status.schema.json': z.toJSONSchema(RunStatus),
    'config.schema.json': z.toJSONSchema(TrainerConfig),
    'eval-report.schema.json': z.toJSONSchema(EvalReport),
  };
}

/** Schemas contributed to the editor (package.json jsonValidation), written to schemas/ at the repository root. */
export function userSchemas(): Record<string, unknown> {
  return { 'brightrun.schema.json': runConfigJsonSchema() };
}
