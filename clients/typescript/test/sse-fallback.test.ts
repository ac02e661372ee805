// The SDK's SSE fallback against the real Edge binary. Edge runs with its WebSocket endpoint moved
// (`--WebSocket:Path /elsewhere`), so the upgrade at the client's URL is refused (404) while
// /market-data/stream still streams, like a proxy that does not pass WebSocket upgrades.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { EventSource } from 'eventsource';
import {
  MarketDataClient,
  sseUrlFor,
  type DisconnectedEvent,
  type EdgeClientError,
  type EventSourceConstructor,
  type MarketDataClientOptions,
  type Price,
  type WebSocketConstructor,
} from '../src/index.ts';
import { startEdge, waitFor, type EdgeProcess } from './edge.ts';

// Ingest:Symbols set (an allow-list): a symbol neither listed nor priced is refused, not pending.
const MOVED = ['--WebSocket:Path', '/elsewhere', '--Ingest:Symbols:0', 'EUR/USD'];
let edge: EdgeProcess;
const clients: MarketDataClient[] = [];
/** Every URL an EventSource was opened with (all clients of this file). */
const opened: string[] = [];

/** The npm EventSource, recording the URLs it is opened with. */
class RecordingEventSource extends EventSource {
  constructor(url: string, init?: ConstructorParameters<typeof EventSource>[1]) {
    super(url, init);
    opened.push(url);
  }
}

before(async () => {
  edge = await startEdge(0, 30000, MOVED);
});
after(async () => {
  for (const c of clients) c.disconnect();
  await edge?.stop();
});

function client(extra: Partial<MarketDataClientOptions> = {}): MarketDataClient {
  const c = new MarketDataClient({
    url: edge.url,
    token: edge.token,
    encoding: 'json',
    sseFallback: true,
    EventSource: RecordingEventSource as unknown as EventSourceConstructor,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    ...extra,
  });
  clients.push(c);
  return c;
}

/** Opens a raw WebSocket; resolves with the handshake's HTTP status (101 when it upgraded). */
function handshakeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['edge.v1.json']);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}

/** Checks per symbol that sequences only grow. */
function assertIncreasing(prices: Price[]): void {
  const last = new Map<string, number>();
  for (const p of prices) {
    const prev = last.get(p.symbol) ?? -1;
    assert.ok(p.sequence > prev, `${p.symbol}: ${p.sequence} after ${prev}`);
    last.set(p.symbol, p.sequence);
  }
}

describe('SSE fallback against real Edge with its WebSocket path moved', () => {
  it('the setup: the WebSocket upgrade at the client URL is refused while the SSE stream answers', async () => {
    assert.equal(await handshakeStatus(`${edge.url}?token=${edge.token}`), 404);
    assert.equal(await handshakeStatus(`ws://127.0.0.1:${edge.port}/elsewhere?token=${edge.token}`), 101);
    const ctrl = new AbortController();
    const res = await fetch(`${sseUrlFor(edge.url)}?symbols=EUR/USD&token=${edge.token}`, { signal: ctrl.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    ctrl.abort();
  });

  it('falls back to SSE and delivers the snapshot, then prices in order', async () => {
    const c = client();
    const transports: string[] = [];
    c.on('connected', () => transports.push(c.transport));
    const got: Price[] = [];
    const res = await c.subscribe(['EUR/USD', 'BTC/USD'], (p) => got.push(p));
    assert.deepEqual([...res.subscribed].sort(), ['BTC/USD', 'EUR/USD']);
    assert.deepEqual(res.errors, []);
    assert.equal(c.transport, 'sse');
    assert.deepEqual(transports, ['sse']);
    assert.equal(c.isConnected(), true);
    await waitFor(() => got.length >= 10, 15000, '10 prices');
    assertIncreasing(got);
    for (const p of got) {
      assert.ok(p.symbol === 'EUR/USD' || p.symbol === 'BTC/USD', p.symbol);
      assert.equal(typeof p.timestamp, 'bigint');
      assert.ok(p.timestamp > 1_600_000_000_000_000_000n);
      assert.equal(p.mid, (p.bid.price + p.ask.price) / 2);
    }
    c.disconnect();
    assert.equal(c.isConnected(), false);
    // EUR/USD has a price now: a new stream's snapshot delivers it before subscribe resolves.
    const c2 = client();
    const first: Price[] = [];
    await c2.subscribe('EUR/USD', (p) => first.push(p));
    assert.ok(first.length >= 1, 'the snapshot comes with the subscription');
    assert.ok(first[0].sequence >= got.filter((p) => p.symbol === 'EUR/USD').at(-1)!.sequence);
    c2.disconnect();
    assert.equal(c.isConnected(), false);
  });

  it('subscribe and unsubscribe reopen the stream (one reopen for a burst) and change what arrives', async () => {
    const c = client();
    const seen: Price[] = [];
    c.on('price', (p) => seen.push(p));
    await c.subscribe('EUR/USD');
    await waitFor(() => seen.length >= 2, 15000, 'a price after the snapshot (it carries an event id)');
    const before = opened.length;
    // A burst in one tick: one new stream for all three symbols.
    const results = await Promise.all([c.subscribe('GBP/USD'), c.subscribe('ETH/USD'), c.subscribe('AAPL')]);
    assert.deepEqual(results.map((r) => r.subscribed), [['GBP/USD'], ['ETH/USD'], ['AAPL']]);
    assert.equal(opened.length, before + 1, 'one reopen for the burst');
    const url = new URL(opened[opened.length - 1]);
    assert.deepEqual(url.searchParams.get('symbols')!.split(',').sort(), ['AAPL', 'ETH/USD', 'EUR/USD', 'GBP/USD']);
    assert.match(url.searchParams.get('lastEventId') ?? 'none', /^\d+$/, 'the reopen names the last event id');
    const count = (s: string, from = 0) => seen.slice(from).filter((p) => p.symbol === s).length;
    await waitFor(() => ['GBP/USD', 'ETH/USD', 'AAPL'].every((s) => count(s) >= 2), 15000, 'prices of the new symbols');

    const unsub = await c.unsubscribe(['EUR/USD', 'GBP/USD']);
    assert.deepEqual(unsub.unsubscribed, ['EUR/USD', 'GBP/USD']);
    const mark = seen.length;
    await waitFor(() => count('ETH/USD', mark) >= 5 && count('AAPL', mark) >= 2, 15000, 'prices after unsubscribe');
    assert.equal(count('EUR/USD', mark) + count('GBP/USD', mark), 0, 'unsubscribed symbols stay silent');
    assertIncreasing(seen);
    assert.equal(c.transport, 'sse');

    // Nothing left to stream: the stream is closed and the client stays connected; a new subscribe opens one.
    const disconnects: DisconnectedEvent[] = [];
    c.on('disconnected', (e) => disconnects.push(e));
    await c.unsubscribe(['ETH/USD', 'AAPL']);
    const idle = seen.length;
    const again = await c.subscribe('BTC/USD');
    assert.deepEqual(again.subscribed, ['BTC/USD']);
    await waitFor(() => count('BTC/USD', idle) >= 3, 15000, 'BTC/USD prices');
    assert.ok(seen.slice(idle).every((p) => p.symbol === 'BTC/USD'), 'only the new symbol after the idle time');
    assert.equal(new URL(opened[opened.length - 1]).searchParams.get('symbols'), 'BTC/USD');
    assert.deepEqual(disconnects, []);
    assert.equal(c.isConnected(), true);
    c.disconnect();
    assert.deepEqual(disconnects.map((e) => e.code), [1000]);
  });

  it('lists unknown symbols in errors, like the WebSocket ack, and streams the others', async () => {
    const c = client();
    const got: Price[] = [];
    const res = await c.subscribe(['XAU/USD', 'NOPE/XYZ'], (p) => got.push(p));
    assert.deepEqual(res.subscribed, ['XAU/USD']);
    assert.equal(res.errors.length, 1);
    assert.equal(res.errors[0].symbol, 'NOPE/XYZ');
    assert.equal(res.errors[0].code, 'UNKNOWN_SYMBOL');
    // Later, on the open stream: the refused symbol is dropped and the stream keeps going.
    const res2 = await c.subscribe(['MSFT', 'ALSO/UNKNOWN']);
    assert.deepEqual(res2.subscribed, ['MSFT']);
    assert.deepEqual(res2.errors.map((e) => [e.symbol, e.code]), [['ALSO/UNKNOWN', 'UNKNOWN_SYMBOL']]);
    const mark = got.length;
    await waitFor(() => got.length >= mark + 3, 15000, 'XAU/USD prices after the refusal');
    assert.equal(c.isConnected(), true);
    assert.ok(!new URL(opened[opened.length - 1]).searchParams.get('symbols')!.includes('UNKNOWN'));
    c.disconnect();
  });

  it('passes maxRate as ?maxRate= (the least restrictive of the subscriptions)', async () => {
    const c = client();
    await c.subscribe('EUR/USD', undefined, { maxRate: 2 });
    assert.equal(new URL(opened[opened.length - 1]).searchParams.get('maxRate'), '2');
    await c.subscribe('BTC/USD', undefined, { maxRate: 5 });
    assert.equal(new URL(opened[opened.length - 1]).searchParams.get('maxRate'), '5');
    await c.subscribe('AAPL');
    assert.equal(new URL(opened[opened.length - 1]).searchParams.get('maxRate'), null);
    c.disconnect();
  });

  it('does not fall back on a refused token (401): reports it and never opens a stream', async () => {
    const before = opened.length;
    // The moved path itself, so the handshake reaches authentication.
    const c = client({ url: `ws://127.0.0.1:${edge.port}/elsewhere`, token: 'not-a-jwt', reconnectionDelay: 50 });
    const errors: EdgeClientError[] = [];
    c.on('error', (e) => errors.push(e));
    await waitFor(() => errors.length >= 2, 15000, 'two refused handshakes');
    assert.equal(errors[0].code, 'HTTP_401');
    assert.equal(c.transport, 'websocket');
    assert.equal(opened.length, before, 'no EventSource');
    c.disconnect();
  });

  it('without sseFallback a failing WebSocket keeps retrying the WebSocket', async () => {
    const before = opened.length;
    const c = client({ sseFallback: false, reconnectionDelay: 50 });
    let attempts = 0;
    c.on('reconnecting', () => attempts++);
    await waitFor(() => attempts >= 3, 15000, 'three reconnection attempts');
    assert.equal(c.transport, 'websocket');
    assert.equal(c.isConnected(), false);
    assert.equal(opened.length, before, 'no EventSource');
    c.disconnect();
  });
});

describe('SSE fallback across an Edge restart', () => {
  let restarted: EdgeProcess | undefined;
  after(async () => {
    await restarted?.stop();
  });

  it('reconnects over SSE with a fresh token and restores the stream', async () => {
    restarted = await startEdge(0, 30000, MOVED);
    const port = restarted.port;
    let token = restarted.token;
    const tokens: string[] = [];
    const c = client({
      url: restarted.url,
      token: undefined,
      getToken: () => (tokens.push(token), token), // the restarted demo server signs with a new key
    });
    let connected = 0;
    const disconnects: DisconnectedEvent[] = [];
    c.on('connected', () => connected++);
    c.on('disconnected', (e) => disconnects.push(e));
    let prices = 0;
    await c.subscribe(['AAPL', 'MSFT'], () => prices++);
    await waitFor(() => prices >= 3, 15000, 'prices before the restart');
    assert.equal(c.transport, 'sse');

    await restarted.stop();
    await waitFor(() => disconnects.length === 1, 15000, 'disconnected');
    assert.equal(disconnects[0].willReconnect, true);
    assert.equal(c.isConnected(), false);

    restarted = await startEdge(port, 30000, MOVED);
    token = restarted.token;
    await waitFor(() => connected === 2, 30000, 'connected again');
    assert.equal(c.transport, 'sse');
    const before = prices;
    await waitFor(() => prices >= before + 3, 15000, 'prices after the restart');
    assert.equal(new URL(opened[opened.length - 1]).searchParams.get('token'), restarted.token);
    c.disconnect();
  });
});
