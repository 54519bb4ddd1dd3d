import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { buildWebviewHtml, contentSecurityPolicy, makeNonce } from '../../../src/vscode/panels/webviewHtml';
import { createMessageRouter } from '../../../src/vscode/panels/messageRouter';

describe('buildWebviewHtml', () => {
  const html = buildWebviewHtml({
    title: 'Monitor <run "x">',
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/monitor.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/monitor.css',
    nonce: 'abc123',
  });

  it('allows only the nonce script and local styles, fonts and images', () => {
    expect(contentSecurityPolicy('SRC', 'N')).toBe("default-src 'none'; script-src 'nonce-N'; style-src SRC 'unsafe-inline'; font-src SRC; img-src SRC data:");
    expect(html).toContain(`content="default-src &#39;none&#39;; script-src &#39;nonce-abc123&#39;;`);
    expect(html).toContain('<script nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/monitor.js"></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(
      '<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/monitor.css">',
    );
  });

  it('escapes the title', () => {
    expect(html).toContain('<title>Monitor &lt;run &quot;x&quot;&gt;</title>');
  });

  it('makes a fresh nonce each time', () => {
    expect(makeNonce()).not.toBe(makeNonce());
    expect(makeNonce().length).toBeGreaterThanOrEqual(40);
  });
});

describe('createMessageRouter', () => {
  const Message = z.discriminatedUnion('type', [z.object({ type: z.literal('ready') }), z.object({ type: z.literal('cancel'), runId: z.string().min(1) })]);

  it('dispatches a valid message to its handler', async () => {
    const cancel = vi.fn();
    const route = createMessageRouter(Message, { cancel }, { warn: vi.fn(), error: vi.fn() });
    expect(await route({ type: 'cancel', runId: 'r1' })).toBe(true);
    expect(cancel).toHaveBeenCalledWith({ type: 'cancel', runId: 'r1' });
  });

  it('logs and drops a malformed message without calling anything', async () => {
    const cancel = vi.fn();
    const warn = vi.fn();
    const route = createMessageRouter(Message, { cancel }, { warn, error: vi.fn() });
    expect(await route({ type: 'cancel', runId: 42 })).toBe(false);
    expect(await route('not an object')).toBe(false);
    expect(await route({ type: 'rm -rf' })).toBe(false);
    expect(cancel).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[0][0]).toMatch(/malformed webview message \(cancel\): runId/);
  });

  it('logs a handler that throws instead of rejecting', async () => {
    const error = vi.fn();
    const route = createMessageRouter(
      Message,
      {
        ready: () => {
          throw new Error('boom');
        },
      },
      { warn: vi.fn(), error },
    );
    expect(await route({ type: 'ready' })).toBe(true);
    expect(error.mock.calls[0][0]).toContain('boom');
  });
});
