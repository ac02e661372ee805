// Conformance: every packet Edge's socket.io endpoint sends, captured raw off the wire, must decode with the parsers
// socket.io-client itself uses (engine.io-parser for Engine.IO, socket.io-parser's Decoder for socket.io), and the
// decoded packets must be what socket.io-client acts on. Also Engine.IO's HTTP refusals (long-polling, EIO=3).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { decodePacket } from 'engine.io-parser';
import { Decoder, PacketType, type Packet } from 'socket.io-parser';
import { startEdge, waitFor, type EdgeProcess } from './edge.ts';

const SECRET = Buffer.from('socket.io conformance test key, 32+ bytes long!!!').toString('base64');
const ARGS = [
  '--Auth:Keys:0:Algorithm', 'HS256', '--Auth:Keys:0:Secret', SECRET, '--Auth:ClockSkewSeconds', '0',
  '--Auth:Issuer', 'socketio-test', '--Auth:Audience', 'edge', '--Demo:Enabled', 'true',
  '--Session:HeartbeatIntervalSeconds', '1', '--SocketIo:PingIntervalMilliseconds', '300',
  '--Tenancy:Default:CommandBurst', '3', '--Tenancy:Default:CommandsPerSecond', '0.001',
];

function sign(lifetimeSeconds: number, scope?: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = part({ alg: 'HS256', typ: 'JWT' });
  const body = part({ iss: 'socketio-test', aud: 'edge', sub: 'conformance', tenant: 'acme', iat: now, exp: now + lifetimeSeconds, ...(scope ? { scope } : {}) });
  const sig = createHmac('sha256', Buffer.from(SECRET, 'base64')).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

let edge: EdgeProcess;
before(async () => {
  edge = await startEdge(0, 30000, ARGS, false);
});
after(async () => edge?.stop());

/** Decodes one raw text frame as socket.io-client would; throws where it would fail. */
function decode(raw: string): { engine: string; socket?: Packet } {
  const engine = decodePacket(raw);
  assert.notEqual(engine.type, 'error', `engine.io-parser refused ${raw}`);
  if (engine.type !== 'message') return { engine: engine.type };
  let decoded: Packet | undefined;
  const decoder = new Decoder();
  decoder.on('decoded', (p: Packet) => (decoded = p));
  decoder.add(engine.data as string);
  assert.ok(decoded, `socket.io-parser decoded ${raw}`);
  return { engine: 'message', socket: decoded };
}

it('every packet Edge sends decodes with engine.io-parser and socket.io-parser', async () => {
  const token = sign(4);
  const ws = new WebSocket(`ws://127.0.0.1:${edge.port}/socket.io/?EIO=4&transport=websocket`);
  const raw: string[] = [];
  ws.on('message', (data, isBinary) => {
    assert.equal(isBinary, false, 'Edge sends text frames only');
    const text = data.toString();
    raw.push(text);
    if (text === '2') ws.send('3');
  });
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise((r) => ws.once('open', r));
  await waitFor(() => raw.length >= 1, 15000, 'open packet');

  ws.send('40/elsewhere,');
  ws.send('40/market-data,{"token":"invalid-token"}');
  ws.send(`40/market-data,{"token":"${token}"}`);
  await waitFor(() => raw.some((r) => r.includes('"connected"')), 15000, 'connected');
  ws.send('42/market-data,1["subscribe",{"symbols":["EUR/USD","BTC/USD","NOT A SYMBOL\\u0001"]}]');
  ws.send('42/market-data,2["unsubscribe",{"symbols":["BTC/USD"]}]');
  ws.send('42/market-data,3["bogus",{}]');
  ws.send('42/market-data,4["subscribe",{"symbols":["EUR/USD"]}]'); // over the burst of 3
  ws.send('42/market-data,["subscribe",{"symbols":["EUR/USD"]}]'); // over it too, no ack asked: an error event
  await waitFor(() => raw.some((r) => r.includes('"price"')) && raw.some((r) => r.includes('"heartbeat"')) && raw.includes('2'),
    15000, 'a price, a heartbeat and a ping');
  const admin = await fetch(`http://127.0.0.1:${edge.port}/admin/broadcast`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sign(60, 'edge:admin')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme', message: 'maintenance at 22:00' }),
  });
  assert.equal(admin.status, 202);
  await waitFor(() => raw.some((r) => r.includes('"notice"')), 15000, 'notice');
  // The token lives 4 s: the error event, the DISCONNECT and the close follow.
  assert.equal(await closed, 4001);

  const decoded = raw.map((r) => ({ raw: r, ...decode(r) }));
  const open = decoded[0];
  assert.equal(open.engine, 'open');
  const handshake = JSON.parse(open.raw.slice(1));
  assert.deepEqual(Object.keys(handshake).sort(), ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades']);
  assert.deepEqual(handshake.upgrades, []);

  const socketPackets = decoded.filter((d) => d.socket).map((d) => d.socket!);
  const errors = socketPackets.filter((p) => p.type === PacketType.CONNECT_ERROR);
  assert.deepEqual(errors.map((p) => [p.nsp, p.data.message]), [['/elsewhere', 'Invalid namespace'], ['/market-data', errors[1].data.message]]);
  assert.equal(errors[1].data.data.code, 'TOKEN_MALFORMED');
  const connect = socketPackets.find((p) => p.type === PacketType.CONNECT)!;
  assert.equal(connect.nsp, '/market-data');
  assert.equal(typeof connect.data.sid, 'string');

  const acks = new Map(socketPackets.filter((p) => p.type === PacketType.ACK).map((p) => [p.id, p.data]));
  assert.deepEqual(acks.get(1)[0].subscribed, ['EUR/USD', 'BTC/USD']);
  assert.equal(acks.get(1)[0].errors[0].code, 'INVALID_SYMBOL');
  assert.deepEqual(acks.get(2), [{ unsubscribed: ['BTC/USD'] }]);
  assert.match(acks.get(3)[0].error, /unknown event/);
  assert.deepEqual(acks.get(4), [{ error: 'Rate limit exceeded' }]);

  const events = socketPackets.filter((p) => p.type === PacketType.EVENT);
  for (const e of events) {
    assert.equal(e.nsp, '/market-data');
    assert.ok(Array.isArray(e.data) && typeof e.data[0] === 'string');
  }
  const names = new Set(events.map((e) => e.data[0]));
  for (const name of ['connected', 'snapshot', 'price', 'heartbeat', 'notice', 'error']) assert.ok(names.has(name), `a ${name} event`);
  const rateLimited = events.find((e) => e.data[0] === 'error' && e.data[1].code === 'RATE_LIMITED');
  assert.ok(rateLimited, 'the command without an ack id got an error event');
  const expired = events.filter((e) => e.data[0] === 'error' && e.data[1].code === 'TOKEN_EXPIRED');
  assert.equal(expired.length, 1);
  const last = socketPackets[socketPackets.length - 1];
  assert.equal(last.type, PacketType.DISCONNECT);
  assert.equal(last.nsp, '/market-data');
  assert.ok(decoded.some((d) => d.engine === 'ping'));
});

it('refuses long-polling and other protocol versions with the Engine.IO error JSON', async () => {
  const polling = await fetch(`http://127.0.0.1:${edge.port}/socket.io/?EIO=4&transport=polling`);
  assert.equal(polling.status, 400);
  assert.deepEqual(await polling.json(), { code: 0, message: 'Transport unknown' });
  const v3 = await fetch(`http://127.0.0.1:${edge.port}/socket.io/?EIO=3&transport=websocket`);
  assert.equal(v3.status, 400);
  assert.deepEqual(await v3.json(), { code: 5, message: 'Unsupported protocol version' });
});
