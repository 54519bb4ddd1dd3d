// The end-to-end harness for tests: the packaged extension in the real VS Code (code-server) driven by headless
// Chromium. One session per test file (starting VS Code costs seconds), shared by its tests; on a failing test
// the screenshot and the logs land in artifacts/ so a red CI run can be understood without rerunning it.
//
//   const session = useSession(() => ({ workspace: makeWorkspace({ 'data.jsonl': '...' }) }));
//   it('...', async () => { await session().workbench.openFile('data.jsonl'); ... });
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CodeServerOptions } from './codeServer';
import { type Session, closeSession, removeTemporaryFolder, saveFailureArtifacts, startSession } from './session';

export { type CodeServerOptions, repoRoot } from './codeServer';
export { type ProblemRow } from './problems';
export * from './session';

/**
 * Registers beforeAll/afterAll hooks that start one session for the test file and stop it, and an afterEach
 * hook that saves a screenshot and the logs of any failing test. Returns a getter for the session.
 */
export function useSession(options: () => CodeServerOptions): () => Session {
  let session: Session | undefined;
  beforeAll(async () => {
    session = await startSession(options());
  }, 180_000);
  afterEach(async (context) => {
    if (session && context.task.result?.state === 'fail') await saveFailureArtifacts(session, context.task.name);
  });
  afterAll(async () => {
    await closeSession(session);
    // The test process may be ended without an exit event: remove the session's temp workspace here.
    if (session) removeTemporaryFolder(session.server.workspace);
  }, 60_000);
  return () => {
    if (!session) throw new Error('the VS Code session did not start (see the beforeAll error)');
    return session;
  };
}
