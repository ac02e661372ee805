import { Decoder, Encoder } from '@msgpack/msgpack';
import type { ClientMessage, Encoding, Price, ServerMessage } from './types.js';

/** Subprotocol token per encoding (docs/protocol.md, "Subprotocol negotiation"). */
export const SUBPROTOCOLS: Record<Encoding, string> = {
  msgpack: 'edge.v1.msgpack',
  json: 'edge.v1.json',
};

// int64/uint64 values (0xcf / 0xd3) come back as bigint so nanosecond timestamps stay exact;
// smaller integers stay numbers.
const msgpackDecoder = new Decoder({ useBigInt64: true });
const msgpackEncoder = new Encoder();

// JSON.parse would round int64 nanoseconds to the nearest double. Before parsing, quote the digits
// of the int64 time fields so they survive as strings, then turn them into bigint. A key can only
// match outside string values: inside a JSON string every `"` is escaped as `\"`.
const INT64_FIELDS = /([{,]\s*"(?:timestamp|serverTime|time)"\s*:\s*)(-?\d+)/g;

export function encodeMessage(encoding: Encoding, message: ClientMessage): Uint8Array | string {
  return encoding === 'msgpack' ? msgpackEncoder.encode(message) : JSON.stringify(message);
}

/** Decodes one server frame; returns undefined for anything that is not a map with a string `type`. */
export function decodeMessage(encoding: Encoding, data: unknown): ServerMessage | undefined {
  let raw: unknown;
  if (encoding === 'msgpack') {
    if (typeof data === 'string') return undefined;
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : undefined;
    if (!bytes) return undefined;
    raw = msgpackDecoder.decode(bytes);
  } else {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
    raw = JSON.parse(text.replace(INT64_FIELDS, '$1"$2"'));
  }
  if (raw === null || typeof raw !== 'object' || typeof (raw as { type?: unknown }).type !== 'string') {
    return undefined;
  }
  return normalize(raw as Record<string, unknown>);
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v);
  return 0n;
}

function toNumber(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

function normalizePrice(p: Record<string, unknown>): Price {
  p.timestamp = toBigInt(p.timestamp);
  p.sequence = toNumber(p.sequence);
  return p as unknown as Price;
}

/** Gives both encodings the same JS shape: int64 times as bigint, ids and sequences as numbers. */
function normalize(m: Record<string, unknown>): ServerMessage {
  switch (m.type) {
    case 'price':
      return normalizePrice(m);
    case 'snapshot':
      if (Array.isArray(m.prices)) m.prices = m.prices.map((p) => normalizePrice(p as Record<string, unknown>));
      else m.prices = [];
      break;
    case 'connected':
      m.serverTime = toBigInt(m.serverTime);
      m.heartbeatInterval = toNumber(m.heartbeatInterval);
      break;
    case 'heartbeat':
      m.time = toBigInt(m.time);
      break;
    case 'pong':
      m.time = toBigInt(m.time);
      m.id = toNumber(m.id);
      break;
    case 'ack':
    case 'error':
      if (m.id !== undefined && m.id !== null) m.id = toNumber(m.id);
      if (m.type === 'ack' && !Array.isArray(m.errors)) m.errors = [];
      break;
  }
  return m as unknown as ServerMessage;
}
