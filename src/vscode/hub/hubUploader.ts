// Uploads an adapter folder to the Hugging Face Hub with the official client (@huggingface/hub).
// No 'vscode' import: the editor command wraps it with a token from SecretStorage and a progress notification.
import { openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type AdapterFile, fallbackModelCard, planAdapterUpload } from './hubNames';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** The Hub client, loaded on first use: it is a bundle of its own (dist/hub.js), not read at activation. */
const hubClient = () => import('@huggingface/hub');

export interface HubPushProgress {
  stage: 'checking' | 'creating' | 'uploading' | 'committing' | 'done';
  /** Bytes of the files confirmed uploaded so far, and in all. */
  doneBytes: number;
  totalBytes: number;
}

export interface HubPushRequest {
  hubUrl?: string;
  /** Never logged, never put in an error message. */
  token: string;
  repoId: string;
  private: boolean;
  adapterDir: string;
  commitTitle: string;
  /** Used for a model card when the run did not write adapter/README.md. */
  card: { baseModel: string; runId: string; finalEvalLoss?: number | null };
  onProgress?: (progress: HubPushProgress) => void;
  signal?: AbortSignal;
}

export interface HubPushResult {
  url: string;
  created: boolean;
  commitUrl: string | undefined;
  files: string[];
}

/** The account the token belongs to: its user name is the default namespace for new repositories. */
export async function hubUserName(token: string, hubUrl = DEFAULT_HUB_URL): Promise<string> {
  const { whoAmI } = await hubClient();
  const me = await whoAmI({ accessToken: token, hubUrl });
  return me.name;
}

export async function listAdapterFiles(adapterDir: string): Promise<AdapterFile[]> {
  const found: AdapterFile[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) found.push({ path: relative(adapterDir, full).split(sep).join('/'), size: (await stat(full)).size });
    }
  }
  await walk(adapterDir);
  return found;
}

export async function pushAdapterToHub(request: HubPushRequest): Promise<HubPushResult> {
  const hubUrl = (request.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  const credentials = { accessToken: request.token, hubUrl };
  const repo = { type: 'model' as const, name: request.repoId };
  const { commitIter, createRepo, repoExists } = await hubClient();
  const plan = planAdapterUpload(await listAdapterFiles(request.adapterDir));
  const report = (stage: HubPushProgress['stage'], doneBytes: number) => request.onProgress?.({ stage, doneBytes, totalBytes: plan.totalBytes });

  report('checking', 0);
  const exists = await repoExists({ repo, ...credentials });
  if (!exists) {
    report('creating', 0);
    await createRepo({ repo, visibility: request.private ? 'private' : 'public', ...credentials });
  }

  const operations = await Promise.all(
    plan.files.map(async (file) => ({
      operation: 'addOrUpdate' as const,
      path: file.path,
      content: await openAsBlob(join(request.adapterDir, ...file.path.split('/'))),
    })),
  );
  if (!plan.hasModelCard) {
    const card = fallbackModelCard({ repoId: request.repoId, ...request.card });
    operations.push({ operation: 'addOrUpdate', path: 'README.md', content: new Blob([card], { type: 'text/markdown' }) });
  }

  const sizes = new Map(plan.files.map((file) => [file.path, file.size]));
  const uploaded = new Set<string>();
  let doneBytes = 0;
  report('uploading', 0);
  const commits = commitIter({
    ...credentials,
    repo,
    operations,
    title: request.commitTitle,
    // Xet needs the Hub's content-addressed storage service; plain LFS works against every Hub deployment.
    useXet: false,
    abortSignal: request.signal,
  });
  let next = await commits.next();
  while (!next.done) {
    const event = next.value;
    if (event.event === 'phase' && event.phase === 'committing') report('committing', doneBytes);
    if (event.event === 'fileProgress' && event.state === 'uploading' && event.progress >= 1 && !uploaded.has(event.path)) {
      uploaded.add(event.path);
      doneBytes += sizes.get(event.path) ?? 0;
      report('uploading', doneBytes);
    }
    next = await commits.next();
  }
  report('done', plan.totalBytes);
  return {
    url: `${hubUrl}/${request.repoId}`,
    created: !exists,
    commitUrl: next.value?.commit.url,
    files: operations.map((operation) => operation.path),
  };
}
