// A local HTTP server speaking the small part of the Hugging Face Hub API that @huggingface/hub uses to create a
// repository and commit files (whoami, repo info, create, preupload, LFS batch + basic PUT, ndjson commit).
// The real Hub cannot be reached from the test machine; this lets the real client run end to end.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  id: string;
  private: boolean;
  files: Map<string, Buffer>;
  commits: string[];
}

export interface FakeHub {
  url: string;
  repos: Map<string, FakeRepo>;
  /** Every Authorization header seen, to check the token travels only there. */
  authHeaders: string[];
  requests: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeHub(options: { token: string; user: string }): Promise<FakeHub> {
  const repos = new Map<string, FakeRepo>();
  const lfsObjects = new Map<string, Buffer>();
  const authHeaders: string[] = [];
  const requests: string[] = [];
  let base = '';

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    requests.push(`${req.method} ${url.pathname}`);
    const auth = req.headers.authorization;
    if (auth) authHeaders.push(auth);
    const authorized = auth === `Bearer ${options.token}`;
    const data = await body(req);

    // LFS storage (the pre-signed URL the batch answer points at): no Authorization, like S3.
    const lfsPut = url.pathname.match(/^\/lfs-storage\/([0-9a-f]{64})$/);
    if (req.method === 'PUT' && lfsPut) {
      const oid = lfsPut[1];
      if (createHash('sha256').update(data).digest('hex') !== oid) return send(400, { error: 'sha256 mismatch' });
      lfsObjects.set(oid, data);
      return send(200, {});
    }
    if (!authorized) return send(401, { error: 'Invalid credentials in Authorization header' });

    if (req.method === 'GET' && url.pathname === '/api/whoami-v2') {
      return send(200, { type: 'user', name: options.user, fullname: options.user, auth: { type: 'access_token' } });
    }
    const info = url.pathname.match(/^\/api\/models\/([^/]+\/[^/]+)$/);
    if (req.method === 'GET' && info) {
      return repos.has(info[1]) ? send(200, { id: info[1] }) : send(404, { error: 'Repository not found' });
    }
    if (req.method === 'POST' && url.pathname === '/api/repos/create') {
      const payload = JSON.parse(data.toString('utf8'));
      const id = `${payload.organization ?? options.user}/${payload.name}`;
      if (repos.has(id)) return send(409, { error: 'You already created this model repo' });
      repos.set(id, { id, private: payload.visibility === 'private', files: new Map(), commits: [] });
      return send(200, { url: `${base}/${id}`, id });
    }
    const preupload = url.pathname.match(/^\/api\/models\/([^/]+\/[^/]+)\/preupload\/main$/);
    if (req.method === 'POST' && preupload) {
      if (!repos.has(preupload[1])) return send(404, { error: 'Repository not found' });
      const payload = JSON.parse(data.toString('utf8')) as { files: { path: string; size: number; sample: string }[] };
      // The Hub stores binary or large files in LFS and small text files in git.
      const files = payload.files.map((file) => ({
        path: file.path,
        uploadMode: file.size > 10_000_000 || Buffer.from(file.sample, 'base64').includes(0) ? 'lfs' : 'regular',
      }));
      return send(200, { files });
    }
    const batch = url.pathname.match(/^\/([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/);
    if (req.method === 'POST' && batch) {
      const payload = JSON.parse(data.toString('utf8')) as { objects: { oid: string; size: number }[] };
      return send(200, {
        transfer: 'basic',
        objects: payload.objects.map((object) => ({
          oid: object.oid,
          size: object.size,
          ...(lfsObjects.has(object.oid) ? {} : { actions: { upload: { href: `${base}/lfs-storage/${object.oid}` } } }),
        })),
      });
    }
    const commit = url.pathname.match(/^\/api\/models\/([^/]+\/[^/]+)\/commit\/main$/);
    if (req.method === 'POST' && commit) {
      const repo = repos.get(commit[1]);
      if (!repo) return send(404, { error: 'Repository not found' });
      const lines = data
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      for (const line of lines) {
        if (line.key === 'header') repo.commits.push(line.value.summary);
        if (line.key === 'file') repo.files.set(line.value.path, Buffer.from(line.value.content, line.value.encoding === 'base64' ? 'base64' : 'utf8'));
        if (line.key === 'lfsFile') {
          const stored = lfsObjects.get(line.value.oid);
          if (!stored) return send(400, { error: `LFS object ${line.value.oid} was never uploaded` });
          repo.files.set(line.value.path, stored);
        }
      }
      const oid = createHash('sha1').update(data).digest('hex');
      return send(200, { commitOid: oid, commitUrl: `${base}/${repo.id}/commit/${oid}` });
    }
    send(404, { error: `No route ${req.method} ${url.pathname}` });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    repos,
    authHeaders,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
