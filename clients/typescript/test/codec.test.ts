// Decoding the golden vectors of docs/protocol.md (bytes and text copied from the document).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, readJwtExp, type Price } from '../src/index.ts';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));

const PRICE_EURUSD_MSGPACK = hex(`
89 a4 74 79 70 65 a5 70 72 69 63 65 a6 73 79 6d
62 6f 6c a6 45 55 52 55 53 44 a3 62 69 64 83 a5
70 72 69 63 65 cb 3f f1 55 9b 3d 07 c8 4b a4 73
69 7a 65 cb 41 2e 84 80 00 00 00 00 a6 73 6f 75
72 63 65 a4 4c 4d 41 58 a3 61 73 6b 83 a5 70 72
69 63 65 cb 3f f1 56 6c f4 1f 21 2d a4 73 69 7a
65 cb 41 43 12 d0 00 00 00 00 a6 73 6f 75 72 63
65 a3 45 42 53 a3 6d 69 64 cb 3f f1 56 04 18 93
74 bc a6 73 70 72 65 61 64 cb 3f 2a 36 e2 eb 1c
40 00 a9 73 70 72 65 61 64 42 70 73 cb 3f fd 88
ae d7 3e 3e 59 a9 74 69 6d 65 73 74 61 6d 70 cf
17 97 9c fe 3d 85 cd 15 a8 73 65 71 75 65 6e 63
65 2a`);

const PRICE_EURUSD_JSON =
  '{"type":"price","symbol":"EURUSD","bid":{"price":1.0834,"size":1000000,"source":"LMAX"},"ask":{"price":1.0836,"size":2500000,"source":"EBS"},"mid":1.0835,"spread":0.00019999999999997797,"spreadBps":1.8458698661742317,"timestamp":1700000000123456789,"sequence":42}';

const EXPECTED: Price = {
  type: 'price',
  symbol: 'EURUSD',
  bid: { price: 1.0834, size: 1000000, source: 'LMAX' },
  ask: { price: 1.0836, size: 2500000, source: 'EBS' },
  mid: 1.0835,
  spread: 0.00019999999999997797,
  spreadBps: 1.8458698661742317,
  timestamp: 1700000000123456789n,
  sequence: 42,
};

it('decodes the MessagePack price vector with an exact bigint timestamp', () => {
  assert.deepEqual(decodeMessage('msgpack', PRICE_EURUSD_MSGPACK.buffer), EXPECTED);
  assert.deepEqual(decodeMessage('msgpack', PRICE_EURUSD_MSGPACK), EXPECTED);
});

it('decodes the JSON price vector to the same object, timestamp exact', () => {
  assert.deepEqual(decodeMessage('json', PRICE_EURUSD_JSON), EXPECTED);
});

it('keeps int64 times exact in JSON connected/heartbeat/pong and leaves look-alike strings alone', () => {
  const hb = decodeMessage('json', '{"type":"heartbeat","time":1700000015000000001}');
  assert.deepEqual(hb, { type: 'heartbeat', time: 1700000015000000001n });
  const pong = decodeMessage('json', '{"type":"pong","id":3,"time":1700000001000000003}');
  assert.deepEqual(pong, { type: 'pong', id: 3, time: 1700000001000000003n });
  const p = decodeMessage('json', PRICE_EURUSD_JSON.replace('"EURUSD"', '"A\\",\\"timestamp\\":1"')) as Price;
  assert.equal(p.symbol, 'A","timestamp":1');
  assert.equal(p.timestamp, 1700000000123456789n);
});

it('decodes the snapshot vector (JSON) into complete prices', () => {
  const snap = decodeMessage(
    'json',
    `{"type":"snapshot","prices":[${PRICE_EURUSD_JSON},${PRICE_EURUSD_JSON.replace('"EURUSD"', '"BTC-USD"').replace('"sequence":42', '"sequence":7')}]}`,
  );
  assert.equal(snap?.type, 'snapshot');
  if (snap?.type !== 'snapshot') return;
  assert.deepEqual(snap.prices[0], EXPECTED);
  assert.equal(snap.prices[1].symbol, 'BTC-USD');
  assert.equal(snap.prices[1].sequence, 7);
});

it('encodes subscribe exactly as the document shows', () => {
  const msg = { type: 'subscribe' as const, id: 1, symbols: ['EURUSD', 'GBPUSD'], maxRate: 10 };
  assert.equal(encodeMessage('json', msg), '{"type":"subscribe","id":1,"symbols":["EURUSD","GBPUSD"],"maxRate":10}');
  assert.deepEqual(
    encodeMessage('msgpack', msg),
    hex(`84 a4 74 79 70 65 a9 73 75 62 73 63 72 69 62 65
a2 69 64 01 a7 73 79 6d 62 6f 6c 73 92 a6 45 55
52 55 53 44 a6 47 42 50 55 53 44 a7 6d 61 78 52
61 74 65 0a`),
  );
});

it('ignores frames that are not a map with a type', () => {
  assert.equal(decodeMessage('json', '[1,2]'), undefined);
  assert.equal(decodeMessage('msgpack', new Uint8Array([0x92, 1, 2])), undefined);
  assert.equal(decodeMessage('msgpack', 'text'), undefined);
});

it('reads exp from a JWT payload', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  assert.equal(readJwtExp(`${b64({ alg: 'HS256' })}.${b64({ exp: 1700000123, sub: 'ü' })}.sig`), 1700000123);
  assert.equal(readJwtExp('not-a-jwt'), undefined);
});
