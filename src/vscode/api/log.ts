// The log the editor layer writes to (a `vscode.LogOutputChannel` has all of it).
export interface LogApi {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
