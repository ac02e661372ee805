// The SSE fallback in a real browser: headless Chromium (Debian's /usr/bin/chromium via playwright-core) loads the
// SDK bundle Edge serves (/demo/edge-client.js) and runs a client with the browser's own WebSocket and EventSource
// (which hides HTTP statuses, bodies and `: hb` comments) against Edge with its WebSocket endpoint moved.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startEdge, type EdgeProcess } from './edge.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

it('falls back to the browser EventSource; unknown symbols come back as errors', { timeout: 120000, skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, async () => {
  let edge: EdgeProcess | undefined;
  let context: BrowserContext | undefined;
  const profile = await mkdtemp(join(tmpdir(), 'edge-chromium-sse-'));
  try {
    // Ingest:Symbols set (an allow-list): a symbol neither listed nor priced is refused, not pending.
    edge = await startEdge(0, 30000, ['--WebSocket:Path', '/elsewhere', '--Ingest:Symbols:0', 'EUR/USD']);
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30000 });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A page of Edge's origin that runs no client of its own.
    await page.goto(`http://127.0.0.1:${edge.port}/demo/edge-client.js`, { timeout: 20000 });
    const result = await page.evaluate(
      async ({ url, token }) => {
        const { MarketDataClient } = await import('/demo/edge-client.js' as string);
        const client = new MarketDataClient({ url, token, sseFallback: true, reconnectionDelay: 100 });
        const got: { symbol: string; sequence: number }[] = [];
        const res = await client.subscribe(['EUR/USD', 'NOPE/XYZ'], (p: { symbol: string; sequence: number }) => got.push(p));
        const deadline = Date.now() + 20000;
        while (got.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        const out = { transport: client.transport, connected: client.isConnected(), res, got: got.map((p) => p.sequence) };
        client.disconnect();
        return out;
      },
      { url: edge.url, token: edge.token },
    );
    assert.equal(result.transport, 'sse');
    assert.equal(result.connected, true);
    assert.deepEqual(result.res.subscribed, ['EUR/USD']);
    assert.deepEqual(result.res.errors.map((e: { symbol: string; code: string }) => [e.symbol, e.code]), [['NOPE/XYZ', 'UNKNOWN_SYMBOL']]);
    assert.ok(result.got.length >= 5, `${result.got.length} prices`);
    for (let i = 1; i < result.got.length; i++) assert.ok(result.got[i] > result.got[i - 1], `sequence ${result.got[i]} after ${result.got[i - 1]}`);
    assert.deepEqual(errors, []);
  } finally {
    await context?.close().catch(() => {});
    await edge?.stop();
    await rm(profile, { recursive: true, force: true });
  }
});
