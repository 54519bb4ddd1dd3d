// Command ids contributed in package.json; one place so menus, lenses and tests agree.
export const VALIDATE_FILE_COMMAND = 'brightrun.validateFile';
export const CONVERT_TO_OPENAI_COMMAND = 'brightrun.convertToOpenAiChat';
export const PREVIEW_DATASET_COMMAND = 'brightrun.previewDataset';
export const REFRESH_DATASETS_COMMAND = 'brightrun.refreshDatasets';
