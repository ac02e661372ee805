// Against the real Edge binary in demo mode: subscribe/ack, errors, prices in both encodings, unsubscribe.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { MarketDataClient, type Encoding, type Price, type WebSocketConstructor } from '../src/index.ts';
import { startEdge, waitFor, type EdgeProcess } from './edge.ts';

let edge: EdgeProcess;
const clients: MarketDataClient[] = [];

before(async () => {
  edge = await startEdge();
});
after(async () => {
  for (const c of clients) c.disconnect();
  await edge?.stop();
});

function client(encoding: Encoding): MarketDataClient {
  const c = new MarketDataClient({
    url: edge.url,
    token: edge.token,
    encoding,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  clients.push(c);
  return c;
}

for (const encoding of ['msgpack', 'json'] as const) {
  describe(`real Edge, ${encoding}`, () => {
    it('connects, acks the subscription, a symbol with no price yet included, and stays quiet for it', async () => {
      const c = client(encoding);
      let connected = 0;
      c.on('connected', () => connected++);
      const pending: Price[] = [];
      const res = await c.subscribe(['EUR/USD', 'NOPE/XYZ'], (p) => {
        if (p.symbol === 'NOPE/XYZ') pending.push(p);
      });
      assert.deepEqual(res.subscribed, ['EUR/USD', 'NOPE/XYZ']);
      assert.deepEqual(res.errors, []);
      // The empty snapshot entry delivers nothing: no price is made up for a symbol that has none.
      const eur: Price[] = [];
      c.on('price', (p) => p.symbol === 'EUR/USD' && eur.push(p));
      await waitFor(() => eur.length >= 2, 15000, 'EUR/USD prices after the ack');
      assert.deepEqual(pending, []);
      assert.equal(c.isConnected(), true);
      assert.ok(c.connection!.heartbeatInterval > 0);
      assert.equal(typeof c.connection!.serverTime, 'bigint');
      c.disconnect();
      assert.equal(c.isConnected(), false);
    });

    it('delivers prices through the callback with increasing sequence and exact bigint timestamps', async () => {
      const c = client(encoding);
      const got: Price[] = [];
      const res = await c.subscribe(['BTC/USD', 'EUR/USD'], (p) => got.push(p));
      assert.deepEqual([...res.subscribed].sort(), ['BTC/USD', 'EUR/USD']);
      await waitFor(() => got.length >= 10, 15000, '10 prices');
      const lastSeq = new Map<string, number>();
      for (const p of got) {
        assert.ok(p.symbol === 'BTC/USD' || p.symbol === 'EUR/USD', p.symbol);
        assert.equal(typeof p.timestamp, 'bigint');
        assert.ok(p.timestamp > 1_600_000_000_000_000_000n, String(p.timestamp));
        assert.equal(typeof p.sequence, 'number');
        const prev = lastSeq.get(p.symbol);
        if (prev !== undefined) assert.ok(p.sequence > prev, `${p.symbol} ${p.sequence} after ${prev}`);
        lastSeq.set(p.symbol, p.sequence);
        assert.equal(p.mid, (p.bid.price + p.ask.price) / 2);
        assert.equal(typeof p.bid.source, 'string');
      }
      c.disconnect();
    });

    it('stops delivering a symbol after unsubscribe', async () => {
      const c = client(encoding);
      const counts = new Map<string, number>();
      const count = (p: Price) => counts.set(p.symbol, (counts.get(p.symbol) ?? 0) + 1);
      await c.subscribe(['GBP/USD', 'ETH/USD'], count);
      await waitFor(() => (counts.get('GBP/USD') ?? 0) >= 2, 15000, 'GBP/USD prices');
      const unsub = await c.unsubscribe('GBP/USD');
      assert.deepEqual(unsub.unsubscribed, ['GBP/USD']);
      // Anything already in flight was delivered before the ack; from here GBP/USD must stay silent
      // while ETH/USD keeps flowing on the same connection.
      let gbpAfter = 0;
      let ethAfter = 0;
      c.on('price', (p) => (p.symbol === 'GBP/USD' ? gbpAfter++ : ethAfter++));
      await waitFor(() => ethAfter >= 10, 15000, 'ETH/USD prices after unsubscribe');
      assert.equal(gbpAfter, 0);
      c.disconnect();
    });
  });
}

describe('real Edge, refusals', () => {
  let slow: EdgeProcess;
  before(async () => {
    // The default burst (150); the refill is slowed so a loaded machine cannot earn the 151st a token.
    slow = await startEdge(0, 30000, ['--Tenancy:Default:CommandsPerSecond', '0.001']);
  });
  after(async () => {
    await slow?.stop();
  });

  for (const encoding of ['msgpack', 'json'] as const) {
    it(`rejects a rate-limited subscribe at once with RATE_LIMITED (${encoding})`, async () => {
      // A request timeout far beyond the test's wait: only the server's refusal, matched by id, ends it in time.
      const c = new MarketDataClient({
        url: slow.url,
        token: slow.token,
        encoding,
        requestTimeout: 600000,
        WebSocket: WebSocket as unknown as WebSocketConstructor,
      });
      clients.push(c);
      for (let i = 0; i < 150; i++) await c.subscribe(['EUR/USD']);
      const started = c.subscribe(['EUR/USD']).then(
        () => 'acked',
        (e: { code?: string }) => e.code ?? 'no code',
      );
      let outcome: string | undefined;
      void started.then((o) => (outcome = o));
      await waitFor(() => outcome !== undefined, 15000, 'the refusal of the 151st subscribe');
      assert.equal(outcome, 'RATE_LIMITED');
      assert.equal(c.isConnected(), true);
      c.disconnect();
    });
  }
});
