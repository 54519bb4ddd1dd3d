// Every command the extension contributes (package.json contributes.commands), by one typed name. Code that
// registers, runs or links a command uses this table, never a literal; a unit test checks it against package.json
// in both directions and against every menu entry.
export const COMMANDS = {
  newRun: 'brightrun.newRun',
  openMonitor: 'brightrun.openMonitor',
  cancelRun: 'brightrun.cancelRun',
  resumeRun: 'brightrun.resumeRun',
  saveAsTemplate: 'brightrun.saveAsTemplate',
  moveRunUp: 'brightrun.moveRunUp',
  openRunFolder: 'brightrun.openRunFolder',
  showRunLog: 'brightrun.showRunLog',
  compareRuns: 'brightrun.compareRuns',
  compareSweep: 'brightrun.compareSweep',
  showSpend: 'brightrun.showSpend',
  deleteRun: 'brightrun.deleteRun',
  refreshRuns: 'brightrun.refreshRuns',
  addSshHost: 'brightrun.addSshHost',
  downloadAdapter: 'brightrun.downloadAdapter',
  pushToHub: 'brightrun.pushToHub',
  tryAdapter: 'brightrun.tryAdapter',
  mergeAdapter: 'brightrun.mergeAdapter',
  exportToOllama: 'brightrun.exportToOllama',
  evaluateAdapter: 'brightrun.evaluateAdapter',
  revealAdapter: 'brightrun.revealAdapter',
  launchConfig: 'brightrun.launchConfig',
  openConfigInForm: 'brightrun.openConfigInForm',
  forgetHubToken: 'brightrun.forgetHubToken',
  setWandbApiKey: 'brightrun.setWandbApiKey',
  validateFile: 'brightrun.validateFile',
  convertToOpenAiChat: 'brightrun.convertToOpenAiChat',
  convertToPreferencePairs: 'brightrun.convertToPreferencePairs',
  convertToOpenAiPreference: 'brightrun.convertToOpenAiPreference',
  previewDataset: 'brightrun.previewDataset',
  refreshDatasets: 'brightrun.refreshDatasets',
} as const;

type CommandName = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandName];
