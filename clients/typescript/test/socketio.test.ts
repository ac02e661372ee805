// The original gateway's client SDK code path against the real Edge: socket.io-client 4.x, exactly as that SDK calls it
// (io(url + '/market-data', { auth: { token }, query: { token }, transports: ['websocket'] })), its events and acks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { startEdge, waitFor, type EdgeProcess } from './edge.ts';

// HS256 key for the Edges started with keys (tenants, expiry, restart): tokens survive a restart and can be made here.
const SECRET = Buffer.from('socket.io compatibility test key, 32+ bytes long!!').toString('base64');
const KEYED = [
  '--Auth:Keys:0:Algorithm', 'HS256', '--Auth:Keys:0:Secret', SECRET, '--Auth:ClockSkewSeconds', '0',
  '--Auth:Issuer', 'socketio-test', '--Auth:Audience', 'edge',
];

function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A token signed with SECRET: tenant, lifetime in seconds. */
function sign(tenant: string, lifetimeSeconds = 3600, sub = 'trader'): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ iss: 'socketio-test', aud: 'edge', sub, tenant, iat: now, exp: now + lifetimeSeconds }));
  const signature = createHmac('sha256', Buffer.from(SECRET, 'base64')).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

interface Level { price: number; size: number; source: string }
interface OriginalPrice {
  symbol: string; bestBid: Level; bestAsk: Level; midPrice: number; spread: number; spreadBps: number; timestamp: number; sequence: number;
}

const sockets: Socket[] = [];

/** What the original SDK does, unchanged. */
function connect(edge: EdgeProcess, token: string, extra: Record<string, unknown> = {}): Socket {
  const socket = io(`http://127.0.0.1:${edge.port}/market-data`, {
    auth: { token },
    query: { token },
    transports: ['websocket'],
    ...extra,
  });
  sockets.push(socket);
  return socket;
}

function emitAck<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve) => socket.emit(event, payload, (reply: T) => resolve(reply)));
}

function once<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (value: T) => resolve(value)));
}

function assertPriceShape(p: OriginalPrice): void {
  assert.equal(typeof p.symbol, 'string');
  for (const level of [p.bestBid, p.bestAsk]) {
    assert.equal(typeof level.price, 'number');
    assert.equal(typeof level.size, 'number');
    assert.equal(typeof level.source, 'string');
  }
  assert.equal(typeof p.midPrice, 'number');
  assert.equal(typeof p.spread, 'number');
  assert.equal(typeof p.spreadBps, 'number');
  assert.equal(typeof p.sequence, 'number');
  assert.ok(Number.isInteger(p.timestamp), 'timestamp is whole milliseconds');
  assert.ok(Math.abs(p.timestamp - Date.now()) < 3_600_000, `timestamp ${p.timestamp} is ms since the epoch`);
  assert.ok(Math.abs(p.midPrice - (p.bestBid.price + p.bestAsk.price) / 2) < 1e-9 * Math.max(1, p.midPrice));
}

after(() => {
  for (const s of sockets) s.disconnect();
});

describe('socket.io: demo Edge with its development token', () => {
  let edge: EdgeProcess;
  before(async () => {
    edge = await startEdge(0, 30000, ['--Session:HeartbeatIntervalSeconds', '1']);
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await edge?.stop();
  });

  it('connects with a valid token and gets connected', async () => {
    const socket = connect(edge, edge.token);
    const connected = await once<{ clientId: string; timestamp: number }>(socket, 'connected');
    assert.equal(socket.connected, true);
    assert.equal(typeof connected.clientId, 'string');
    assert.ok(Math.abs(connected.timestamp - Date.now()) < 60_000);
  });

  it("refuses 'invalid-token' with connect_error carrying the code", async () => {
    const socket = connect(edge, 'invalid-token', { reconnection: false });
    let connected = false;
    socket.on('connected', () => (connected = true));
    const error = await once<Error & { data?: { code: string } }>(socket, 'connect_error');
    assert.equal(error.data?.code, 'TOKEN_MALFORMED');
    assert.match(error.message, /JWT/);
    assert.equal(socket.connected, false);
    assert.equal(connected, false);
  });

  it('refuses two different tokens in auth and query (single source)', async () => {
    const socket = io(`http://127.0.0.1:${edge.port}/market-data`, {
      auth: { token: edge.token },
      query: { token: 'aaa.bbb.ccc' },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    const error = await once<Error & { data?: { code: string } }>(socket, 'connect_error');
    assert.equal(error.data?.code, 'TOKEN_AMBIGUOUS');
  });

  it('refuses another namespace with connect_error', async () => {
    const socket = io(`http://127.0.0.1:${edge.port}/elsewhere`, { auth: { token: edge.token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const error = await once<Error>(socket, 'connect_error');
    assert.equal(error.message, 'Invalid namespace');
  });

  it('acks subscribe, sends the snapshot, then prices in the original shape', async () => {
    const socket = connect(edge, edge.token);
    await once(socket, 'connected');
    const prices: OriginalPrice[] = [];
    let snapshot: { prices: OriginalPrice[] } | undefined;
    socket.on('snapshot', (s: { prices: OriginalPrice[] }) => (snapshot = s));
    socket.on('price', (p: OriginalPrice) => prices.push(p));
    const reply = await emitAck<{ subscribed: string[]; errors: unknown[] }>(socket, 'subscribe', { symbols: ['EUR/USD'] });
    assert.deepEqual(reply, { subscribed: ['EUR/USD'], errors: [] });
    await waitFor(() => snapshot !== undefined, 15000, 'snapshot');
    assert.ok(Array.isArray(snapshot!.prices));
    for (const p of snapshot!.prices) assertPriceShape(p);
    await waitFor(() => prices.length >= 3, 15000, 'EUR/USD prices');
    for (const p of prices) {
      assert.equal(p.symbol, 'EUR/USD');
      assertPriceShape(p);
    }
    for (let i = 1; i < prices.length; i++) assert.ok(prices[i].sequence > prices[i - 1].sequence);
    if (snapshot!.prices.length > 0) assert.ok(prices[0].sequence > snapshot!.prices[0].sequence);
  });

  it('answers an unknown symbol in errors and unsubscribe with { unsubscribed }', async () => {
    const socket = connect(edge, edge.token);
    await once(socket, 'connected');
    const reply = await emitAck<{ subscribed: string[]; errors: { symbol: string; code: string }[] }>(
      socket, 'subscribe', { symbols: ['BTC/USD', 'not a symbol\u0001'] });
    assert.deepEqual(reply.subscribed, ['BTC/USD']);
    assert.equal(reply.errors[0].code, 'INVALID_SYMBOL');
    let btc = 0;
    let eth = 0;
    socket.on('price', (p: OriginalPrice) => (p.symbol === 'BTC/USD' ? btc++ : p.symbol === 'ETH/USD' ? eth++ : 0));
    await waitFor(() => btc >= 1, 15000, 'a BTC/USD price');
    const gone = await emitAck<{ unsubscribed: string[] }>(socket, 'unsubscribe', { symbols: ['BTC/USD'] });
    assert.deepEqual(gone, { unsubscribed: ['BTC/USD'] });
    const atUnsubscribe = btc;
    await emitAck(socket, 'subscribe', { symbols: ['ETH/USD'] });
    await waitFor(() => eth >= 5, 15000, 'ETH/USD prices after the unsubscribe');
    assert.equal(btc, atUnsubscribe, 'no BTC/USD price after its unsubscribe ack');
  });

  it('sends heartbeat events with a timestamp', async () => {
    const socket = connect(edge, edge.token);
    await once(socket, 'connected');
    const beat = await once<{ timestamp: number }>(socket, 'heartbeat');
    assert.ok(Math.abs(beat.timestamp - Date.now()) < 60_000);
  });
});

describe('socket.io: rate limit', () => {
  let edge: EdgeProcess;
  before(async () => {
    // The default burst (150) and a refill too slow to matter while the test runs.
    edge = await startEdge(0, 30000, ['--Tenancy:Default:CommandsPerSecond', '0.001']);
  });
  after(async () => edge?.stop());

  it("answers the 151st command with { error: 'Rate limit exceeded' }", async () => {
    const socket = connect(edge, edge.token);
    await once(socket, 'connected');
    const replies = await Promise.all(
      Array.from({ length: 150 }, () => emitAck<{ subscribed?: string[] }>(socket, 'subscribe', { symbols: ['EUR/USD'] })));
    for (const r of replies) assert.deepEqual(r.subscribed, ['EUR/USD']);
    const extra = await emitAck(socket, 'subscribe', { symbols: ['EXTRA'] });
    assert.deepEqual(extra, { error: 'Rate limit exceeded' });
    assert.equal(socket.connected, true);
  });
});

describe('socket.io: keyed Edge (tenants, expiry, restart)', () => {
  let edge: EdgeProcess;
  const tenants = [
    '--Tenancy:Tenants:acme:Symbols:0', 'EUR/USD',
    '--Tenancy:Tenants:globex:Symbols:0', 'BTC/USD',
  ];
  before(async () => {
    edge = await startEdge(0, 30000, [...KEYED, ...tenants, '--Demo:Enabled', 'true'], false);
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await edge?.stop();
  });

  it("keeps tenants apart: each sees only its entitled symbols", async () => {
    const acme = connect(edge, sign('acme'));
    const globex = connect(edge, sign('globex'));
    await Promise.all([once(acme, 'connected'), once(globex, 'connected')]);
    const a = await emitAck<{ subscribed: string[]; errors: { symbol: string; code: string }[] }>(
      acme, 'subscribe', { symbols: ['EUR/USD', 'BTC/USD'] });
    assert.deepEqual(a.subscribed, ['EUR/USD']);
    assert.deepEqual(a.errors.map((e) => [e.symbol, e.code]), [['BTC/USD', 'FORBIDDEN_SYMBOL']]);
    const g = await emitAck<{ subscribed: string[]; errors: { code: string }[] }>(globex, 'subscribe', { symbols: ['EUR/USD', 'BTC/USD'] });
    assert.deepEqual(g.subscribed, ['BTC/USD']);
    const seenByAcme = new Set<string>();
    const seenByGlobex = new Set<string>();
    let acmeCount = 0;
    let globexCount = 0;
    acme.on('price', (p: OriginalPrice) => (seenByAcme.add(p.symbol), acmeCount++));
    globex.on('price', (p: OriginalPrice) => (seenByGlobex.add(p.symbol), globexCount++));
    await waitFor(() => acmeCount >= 3 && globexCount >= 3, 15000, 'prices for both tenants');
    assert.deepEqual([...seenByAcme], ['EUR/USD']);
    assert.deepEqual([...seenByGlobex], ['BTC/USD']);
  });

  it('sends error TOKEN_EXPIRED, then disconnects, when the token expires', async () => {
    const socket = connect(edge, sign('acme', 3));
    await once(socket, 'connected');
    const errors: { code: string }[] = [];
    socket.on('error', (e: { code: string }) => errors.push(e));
    const reason = await once<string>(socket, 'disconnect');
    assert.deepEqual(errors.map((e) => e.code), ['TOKEN_EXPIRED']);
    assert.equal(reason, 'io server disconnect');
    assert.equal(socket.active, false, 'socket.io-client does not reconnect after a server disconnect');
  });

  it("reconnects by socket.io-client's own reconnection after Edge restarts", async () => {
    const port = edge.port;
    const socket = connect(edge, sign('acme'), { reconnectionDelay: 100, reconnectionDelayMax: 500 });
    let connectedEvents = 0;
    socket.on('connected', () => connectedEvents++);
    await waitFor(() => connectedEvents === 1, 15000, 'first connected');
    const reasons: string[] = [];
    socket.on('disconnect', (reason: string) => reasons.push(reason));
    await edge.stop();
    await waitFor(() => reasons.length === 1, 15000, 'disconnect on shutdown');
    assert.equal(reasons[0], 'transport close');
    edge = await startEdge(port, 30000, [...KEYED, ...tenants, '--Demo:Enabled', 'true'], false);
    await waitFor(() => connectedEvents === 2, 30000, 'connected again after the restart');
    const prices: OriginalPrice[] = [];
    socket.on('price', (p: OriginalPrice) => prices.push(p));
    await emitAck(socket, 'subscribe', { symbols: ['EUR/USD'] });
    await waitFor(() => prices.length >= 2, 15000, 'prices after the restart');
  });
});
