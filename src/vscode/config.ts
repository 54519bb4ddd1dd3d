// The validation settings' reader lives in settings.ts, with every other `brightrun.*` setting.
export {
  DEBOUNCE_LIMIT_MS,
  DEFAULT_VALIDATION_SETTINGS,
  MAX_SEQ_LEN_LIMIT,
  VALIDATION_SECTION,
  readValidationSettings,
  sameValidationSettings,
  type ConfigSource,
  type ParsedSettings,
  type ValidationSettings,
} from './settings';
