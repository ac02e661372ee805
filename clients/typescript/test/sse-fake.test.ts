// The SSE fallback against a scripted HTTP server (node:http, no WebSocket upgrade handling, like a proxy that
// does not pass upgrades): a TOKEN_EXPIRED event makes the client fetch a new token and reopen without a
// disconnect, and `: hb` comments count as liveness while silence drops the stream.
import { afterEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { EventSource } from 'eventsource';
import { MarketDataClient, type DisconnectedEvent, type EdgeClientError, type Price } from '../src/index.ts';
import { waitFor } from './edge.ts';
import { fakeJwt } from './fake.ts';

interface Stream {
  url: URL;
  res: ServerResponse;
}

let server: Server | undefined;
let client: MarketDataClient | undefined;
const timers: ReturnType<typeof setInterval>[] = [];

afterEach(async () => {
  client?.disconnect();
  for (const t of timers.splice(0)) clearInterval(t);
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((r) => server!.close(() => r()));
  }
  server = client = undefined;
});

/** `onStream` scripts each stream request (index counts them); every other request gets 404. */
async function startSseServer(onStream: (s: Stream, index: number) => void): Promise<{ url: string; streams: Stream[] }> {
  const streams: Stream[] = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/market-data/stream') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const s = { url, res };
    onStream(s, streams.push(s) - 1);
  });
  // No 'upgrade' listener: the WebSocket handshake fails.
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/market-data`, streams };
}

function priceJson(symbol: string, sequence: number): string {
  return JSON.stringify({
    type: 'price',
    symbol,
    bid: { price: 1.5, size: 1, source: 'A' },
    ask: { price: 1.7, size: 2, source: 'B' },
    mid: 1.6,
    spread: 0.2,
    spreadBps: 1250,
    timestamp: 1,
    sequence,
  }).replace('"timestamp":1,', '"timestamp":1700000000123456789,');
}

function snapshot(s: Stream, ...prices: string[]): void {
  s.res.write(`retry: 100\n\nevent: snapshot\ndata: {"type":"snapshot","prices":[${prices.join(',')}]}\n\n`);
}

function newClient(url: string, getToken: () => string, heartbeat = 15000): MarketDataClient {
  return (client = new MarketDataClient({
    url,
    getToken,
    encoding: 'json',
    sseFallback: true,
    sseHeartbeatInterval: heartbeat,
    EventSource: EventSource as never,
    WebSocket: WebSocket as never,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
  }));
}

it('TOKEN_EXPIRED on the stream: a new token from getToken, the stream reopened, no disconnect', async () => {
  const { url, streams } = await startSseServer((s, i) => {
    if (i === 0) {
      snapshot(s, priceJson('EURUSD', 1));
      s.res.end('event: error\ndata: {"type":"error","code":"TOKEN_EXPIRED","message":"the token expired"}\n\n');
    } else snapshot(s, priceJson('EURUSD', 1), priceJson('EURUSD', 2));
  });
  let n = 0;
  const c = newClient(url, () => `t${++n}`);
  const disconnects: DisconnectedEvent[] = [];
  const errors: EdgeClientError[] = [];
  let connected = 0;
  c.on('disconnected', (e) => disconnects.push(e));
  c.on('error', (e) => errors.push(e));
  c.on('connected', () => connected++);
  const got: Price[] = [];
  const res = await c.subscribe('EURUSD', (p) => got.push(p));
  assert.deepEqual(res.subscribed, ['EURUSD']);
  await waitFor(() => got.length >= 2, 15000, 'the price of the reopened stream');
  assert.equal(c.transport, 'sse');
  assert.deepEqual(streams.map((s) => s.url.searchParams.get('token')), ['t1', 't2']);
  // Sequence 1 is not delivered twice: the sequence filter survives a reopen.
  assert.deepEqual(got.map((p) => p.sequence), [1, 2]);
  assert.equal(got[0].timestamp, 1700000000123456789n);
  assert.deepEqual(disconnects, []);
  assert.deepEqual(errors, []);
  assert.equal(connected, 1);
});

it('refreshes the token before exp by replacing the stream, without a disconnect', async () => {
  const { url, streams } = await startSseServer((s, i) => snapshot(s, priceJson('EURUSD', i + 1)));
  const exp = Math.floor(Date.now() / 1000) + 3;
  const tokens = [fakeJwt(exp, 'a'), fakeJwt(exp + 3600, 'b')];
  let n = 0;
  const c = newClient(url, () => tokens[Math.min(n++, 1)]);
  const disconnects: DisconnectedEvent[] = [];
  c.on('disconnected', (e) => disconnects.push(e));
  const got: Price[] = [];
  await c.subscribe('EURUSD', (p) => got.push(p));
  // Refreshed at half the remaining life (the default margin is longer than the token's life).
  await waitFor(() => streams.length === 2 && got.length === 2, 15000, 'the stream reopened with the new token');
  assert.deepEqual(streams.map((s) => s.url.searchParams.get('token')), tokens);
  assert.deepEqual(disconnects, []);
  assert.equal(c.isConnected(), true);
});

it('heartbeat comments keep a quiet stream alive; silence past 2.5 heartbeats drops and reopens it', async () => {
  let beats = 0;
  const { url, streams } = await startSseServer((s, i) => {
    snapshot(s, priceJson('EURUSD', i + 1));
    if (i > 0) return;
    // 30 heartbeats 100 ms apart (3 s, longer than 2.5 × 1 s), then silence with the connection left open.
    const t = setInterval(() => {
      if (++beats > 30) clearInterval(t);
      else s.res.write(': hb\n\n');
    }, 100);
    timers.push(t);
  });
  const c = newClient(url, () => 'token', 1000);
  const disconnects: DisconnectedEvent[] = [];
  c.on('disconnected', (e) => disconnects.push(e));
  await c.subscribe('EURUSD');
  await waitFor(() => beats >= 30, 15000, '30 heartbeats');
  assert.deepEqual(disconnects, [], 'heartbeats count as liveness');
  await waitFor(() => disconnects.length === 1, 15000, 'the heartbeat timeout');
  assert.equal(disconnects[0].reason, 'heartbeat timeout');
  assert.equal(disconnects[0].willReconnect, true);
  await waitFor(() => streams.length === 2 && c.isConnected(), 15000, 'a new stream');
  assert.equal(c.transport, 'sse');
});
