// Client behaviour against scripted fake servers: close codes, heartbeats, tokens, sequence filter, timeouts.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import {
  MarketDataClient,
  sseUrlFor,
  type DisconnectedEvent,
  type EdgeClientError,
  type MarketDataClientOptions,
  type Price,
  type WebSocketConstructor,
} from '../src/index.ts';
import { connectedMessage, fakeJwt, startFake, type FakeServer } from './fake.ts';
import { waitFor } from './edge.ts';

let server: FakeServer | undefined;
let client: MarketDataClient | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await server?.close();
  server = undefined;
});

function makeClient(opts: Partial<MarketDataClientOptions> = {}): MarketDataClient {
  client = new MarketDataClient({
    url: server!.url,
    token: 'static-token',
    encoding: 'json',
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    ...opts,
  });
  return client;
}

function price(symbol: string, sequence: number): Record<string, unknown> {
  return {
    type: 'price',
    symbol,
    bid: { price: 1, size: 2, source: 'A' },
    ask: { price: 3, size: 4, source: 'B' },
    mid: 2,
    spread: 2,
    spreadBps: 10000,
    timestamp: 0,
    sequence,
  };
}

describe('close codes', () => {
  for (const code of [4003, 4002, 1008]) {
    it(`does not reconnect after ${code} and reports an error`, async () => {
      server = await startFake((c) => {
        c.socket.send(connectedMessage());
        setTimeout(() => c.socket.close(code, 'go away'), 20);
      });
      const c = makeClient();
      const errors: EdgeClientError[] = [];
      const disconnects: DisconnectedEvent[] = [];
      c.on('error', (e) => errors.push(e));
      c.on('disconnected', (e) => disconnects.push(e));
      await waitFor(() => disconnects.length === 1, 10000, 'disconnected');
      assert.equal(disconnects[0].code, code);
      assert.equal(disconnects[0].willReconnect, false);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].closeCode, code);
      // With a 20 ms backoff a reconnect would show up well within this window.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(server.connections.length, 1);
      assert.equal(c.isConnected(), false);
    });
  }

  for (const code of [1001, 1011, 4008]) {
    it(`reconnects after ${code} and resubscribes`, async () => {
      server = await startFake((c, i) => {
        c.socket.send(connectedMessage());
        c.socket.on('message', (d) => {
          const m = JSON.parse(String(d));
          if (m.type !== 'subscribe') return;
          c.socket.send(JSON.stringify({ type: 'ack', id: m.id, subscribed: m.symbols, errors: [] }));
          // The first connection closes once it has acked, not after a fixed delay: on a loaded machine the
          // subscribe could still be in flight and be rejected with the disconnect.
          if (i === 0) c.socket.close(code, 'bye');
        });
      });
      const c = makeClient();
      const disconnects: DisconnectedEvent[] = [];
      c.on('disconnected', (e) => disconnects.push(e));
      await c.subscribe(['EUR/USD', 'AAPL']);
      await waitFor(() => server!.connections.length === 2 && server!.connections[1].received.length > 0, 10000, 'resubscribe');
      assert.equal(disconnects[0].code, code);
      assert.equal(disconnects[0].willReconnect, true);
      assert.deepEqual(server.connections[1].received[0].symbols, ['EUR/USD', 'AAPL']);
      assert.equal(server.connections[1].protocol, 'edge.v1.json');
      assert.match(server.connections[1].url, /[?&]token=static-token/);
    });
  }

  it('waits at least the delay hinted in a 1001 reason', async () => {
    server = await startFake((c, i) => {
      c.socket.send(connectedMessage());
      if (i === 0) setTimeout(() => c.socket.close(1001, 'restart; reconnect in 0.3s'), 20);
    });
    const c = makeClient();
    const delays: number[] = [];
    c.on('reconnecting', (e) => delays.push(e.delay));
    await waitFor(() => server!.connections.length === 2, 10000, 'reconnect');
    assert.ok(delays[0] >= 300, String(delays[0]));
  });
});

describe('liveness and requests', () => {
  it('treats a silent connection (2.5 heartbeats) as dead and reconnects', async () => {
    server = await startFake((c) => c.socket.send(connectedMessage(100))); // then silence
    const c = makeClient();
    const disconnects: DisconnectedEvent[] = [];
    c.on('disconnected', (e) => disconnects.push(e));
    await waitFor(() => server!.connections.length >= 2, 10000, 'reconnect after heartbeat timeout');
    assert.equal(disconnects[0].reason, 'heartbeat timeout');
    assert.equal(disconnects[0].willReconnect, true);
  });

  it('retries a connection that never says connected', async () => {
    server = await startFake(() => {}); // accepts the WebSocket, then says nothing
    const c = makeClient({ requestTimeout: 150 });
    await waitFor(() => server!.connections.length >= 2, 10000, 'second attempt');
    assert.equal(c.isConnected(), false);
  });

  it('rejects a request whose ack never comes', async () => {
    server = await startFake((c) => c.socket.send(connectedMessage()));
    const c = makeClient({ requestTimeout: 200 });
    await assert.rejects(c.subscribe('EUR/USD'), (e: EdgeClientError) => e.code === 'TIMEOUT');
  });

  it('rejects a request answered with an error carrying its id', async () => {
    server = await startFake((c) => {
      c.socket.send(connectedMessage());
      c.socket.on('message', (d) => {
        const m = JSON.parse(String(d));
        c.socket.send(JSON.stringify({ type: 'error', id: m.id, code: 'TOO_MANY_SYMBOLS', message: 'too many' }));
      });
    });
    const c = makeClient();
    await assert.rejects(c.subscribe('EUR/USD'), (e: EdgeClientError) => e.code === 'TOO_MANY_SYMBOLS');
  });
});

describe('sequence filter and snapshots', () => {
  it('drops prices at or below the last sequence and routes snapshot prices to the callbacks', async () => {
    server = await startFake((c) => {
      c.socket.send(connectedMessage());
      c.socket.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.type !== 'subscribe') return;
        c.socket.send(JSON.stringify({ type: 'ack', id: m.id, subscribed: m.symbols, errors: [] }));
        c.socket.send(JSON.stringify({ type: 'snapshot', prices: [price('EUR/USD', 5), price('AAPL', 9)] }));
        for (const seq of [3, 5, 6, 4, 6, 8]) c.socket.send(JSON.stringify(price('EUR/USD', seq)));
        c.socket.send(JSON.stringify(price('AAPL', 10)));
      });
    });
    const c = makeClient();
    const eur: number[] = [];
    const aapl: number[] = [];
    await c.subscribe(['EUR/USD', 'AAPL'], (p: Price) => (p.symbol === 'AAPL' ? aapl : eur).push(p.sequence));
    await waitFor(() => aapl.includes(10), 10000, 'AAPL 10');
    assert.deepEqual(eur, [5, 6, 8]);
    assert.deepEqual(aapl, [9, 10]);
    assert.equal(c.droppedStale, 4);
  });

  it('removeCallback stops one callback and keeps the others', async () => {
    server = await startFake((c) => {
      c.socket.send(connectedMessage());
      let seq = 0;
      c.socket.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.type === 'subscribe') {
          c.socket.send(JSON.stringify({ type: 'ack', id: m.id, subscribed: m.symbols, errors: [] }));
          c.socket.send(JSON.stringify(price('X', ++seq)));
        }
      });
    });
    const c = makeClient();
    const a: number[] = [];
    const b: number[] = [];
    const fa = (p: Price) => a.push(p.sequence);
    await c.subscribe('X', fa);
    await waitFor(() => a.length === 1, 10000, 'first price');
    c.removeCallback('X', fa);
    await c.subscribe('X', (p: Price) => b.push(p.sequence));
    await waitFor(() => b.length === 1, 10000, 'second price');
    assert.deepEqual(a, [1]);
    assert.deepEqual(b, [2]);
  });
});

describe('tokens', () => {
  it('refreshes the token with auth before exp, and reconnects with a fresh token after 4001', async () => {
    server = await startFake((c, i) => {
      c.socket.send(connectedMessage());
      if (i === 0) {
        c.socket.on('message', (d) => {
          if (JSON.parse(String(d)).type === 'auth') setTimeout(() => c.socket.close(4001, 'token expired'), 10);
        });
      }
    });
    let n = 0;
    const tokens: string[] = [];
    const c = makeClient({
      token: undefined,
      // expires in 2 s; refresh 1.7 s before exp (but at most half the remaining life: ~1 s in)
      getToken: async () => {
        const t = fakeJwt(Math.floor(Date.now() / 1000) + 2, `t${++n}`);
        tokens.push(t);
        return t;
      },
      tokenRefreshMargin: 1700,
    });
    await waitFor(() => server!.connections[0]?.received.some((m) => m.type === 'auth'), 10000, 'auth message');
    const auth = server.connections[0].received.find((m) => m.type === 'auth')!;
    assert.equal(auth.token, tokens[1]);
    assert.ok(server.connections[0].url.includes(encodeURIComponent(tokens[0])), `${server.connections[0].url} ${tokens}`);
    await waitFor(() => server!.connections.length === 2, 10000, 'reconnect after 4001');
    assert.ok(server.connections[1].url.includes('token=' + encodeURIComponent(tokens[2])));
    assert.equal(c.isConnected() || server.connections.length === 2, true);
  });

  it('does not reconnect after 4001 without getToken', async () => {
    server = await startFake((c) => {
      c.socket.send(connectedMessage());
      setTimeout(() => c.socket.close(4001, 'token expired'), 20);
    });
    const c = makeClient();
    const disconnects: DisconnectedEvent[] = [];
    c.on('disconnected', (e) => disconnects.push(e));
    await waitFor(() => disconnects.length === 1, 10000, 'disconnected');
    assert.equal(disconnects[0].willReconnect, false);
  });
});

describe('maxRate', () => {
  it('sends maxRate with subscribe and resubscribes each symbol with its own rate after a reconnect', async () => {
    server = await startFake((c, i) => {
      c.socket.send(connectedMessage());
      c.socket.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.type === 'subscribe') c.socket.send(JSON.stringify({ type: 'ack', id: m.id, subscribed: m.symbols, errors: [] }));
      });
      if (i === 0) c.socket.on('message', () => c.socket.readyState === c.socket.OPEN && c.received.length === 3 && c.socket.close(1011, 'x'));
    });
    const c = makeClient();
    await c.subscribe(['EUR/USD', 'GBP/USD'], undefined, { maxRate: 4 });
    await c.subscribe('AAPL');
    await c.subscribe('BTC/USD', undefined, { maxRate: 4 }).catch(() => {}); // the server drops the connection after it
    const first = server.connections[0].received;
    assert.deepEqual(first.map((m) => [m.symbols, m.maxRate]), [
      [['EUR/USD', 'GBP/USD'], 4],
      [['AAPL'], undefined],
      [['BTC/USD'], 4],
    ]);
    await waitFor(() => server!.connections.length === 2 && server!.connections[1].received.length === 2, 10000, 'resubscribe');
    const again = server.connections[1].received.map((m) => [m.symbols, m.maxRate]);
    assert.deepEqual(again, [
      [['EUR/USD', 'GBP/USD', 'BTC/USD'], 4],
      [['AAPL'], undefined],
    ]);
  });
});

describe('SSE fallback options', () => {
  it('derives the stream URL from the WebSocket URL', () => {
    assert.equal(sseUrlFor('wss://edge.example/market-data?token=x'), 'https://edge.example/market-data/stream');
    assert.equal(sseUrlFor('ws://127.0.0.1:8080/market-data'), 'http://127.0.0.1:8080/market-data/stream');
  });

  it('refuses sseFallback without an EventSource', { skip: 'EventSource' in globalThis && 'this runtime has EventSource' }, () => {
    const make = () =>
      new MarketDataClient({ url: 'ws://127.0.0.1:1/market-data', sseFallback: true, autoConnect: false, WebSocket: WebSocket as unknown as WebSocketConstructor });
    assert.throws(make, /EventSource/);
  });
});
