export { MarketDataClient, EdgeClientError, sseUrlFor } from './client.js';
export type {
  MarketDataClientOptions,
  PriceCallback,
  SubscribeResult,
  UnsubscribeResult,
  DisconnectedEvent,
  ClientEvents,
  WebSocketLike,
  WebSocketConstructor,
  EventSourceLike,
  EventSourceConstructor,
  Transport,
  SubscribeOptions,
} from './client.js';
export { decodeMessage, encodeMessage, SUBPROTOCOLS } from './codec.js';
export { readJwtExp } from './jwt.js';
export type * from './types.js';
export { FrameBatcher } from './batch.js';
