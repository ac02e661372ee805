/** One side of the book. */
export interface PriceLevel {
  price: number;
  size: number;
  source: string;
}

/** A best bid/ask update (`price` message, also each entry of a `snapshot`). */
export interface Price {
  type: 'price';
  symbol: string;
  bid: PriceLevel;
  ask: PriceLevel;
  mid: number;
  spread: number;
  spreadBps: number;
  /** Upstream time, int64 nanoseconds since the Unix epoch, exact (above 2^53, so a bigint). */
  timestamp: bigint;
  /** Per-symbol sequence (uint64 on the wire; exact as a number up to 2^53). */
  sequence: number;
}

export interface Limits {
  maxSubscriptions: number;
  maxSymbolsPerRequest: number;
  maxMessageBytes: number;
  maxMessagesPerSecond: number;
}

export interface ConnectedMessage {
  type: 'connected';
  clientId: string;
  /** int64 ns since the epoch. */
  serverTime: bigint;
  /** Milliseconds. */
  heartbeatInterval: number;
  limits: Limits;
}

export interface SymbolError {
  symbol: string;
  code: string;
  message: string;
}

export interface AckMessage {
  type: 'ack';
  id: number;
  subscribed?: string[];
  unsubscribed?: string[];
  errors: SymbolError[];
}

export interface ErrorMessage {
  type: 'error';
  id?: number;
  code: string;
  message: string;
}

export interface StatusMessage {
  type: 'status';
  feed: 'up' | 'down';
  reason: string;
}

export interface SnapshotMessage {
  type: 'snapshot';
  prices: Price[];
}

export interface HeartbeatMessage {
  type: 'heartbeat';
  time: bigint;
}

export interface PongMessage {
  type: 'pong';
  id: number;
  time: bigint;
}

export type ServerMessage =
  | ConnectedMessage
  | AckMessage
  | ErrorMessage
  | StatusMessage
  | SnapshotMessage
  | HeartbeatMessage
  | PongMessage
  | Price;

export type ClientMessage =
  | { type: 'subscribe'; id: number; symbols: string[]; maxRate?: number }
  | { type: 'unsubscribe'; id: number; symbols: string[] }
  | { type: 'ping'; id: number }
  | { type: 'auth'; token: string };

export type Encoding = 'msgpack' | 'json';
