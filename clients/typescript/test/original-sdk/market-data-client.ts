// A stand-in for the original NestJS + socket.io market-data gateway's client SDK (its source is not available to
// us): its client layer written the way issue 17 describes that SDK, over socket.io-client 4.x. It is a TEST FIXTURE
// that plays a front end written against the original gateway, so it must NOT be adapted to Edge: no Edge field
// names, no Edge-specific options, no workarounds. If a test using it fails, fix Edge's socket.io endpoint, not this.
import { io, type Socket } from 'socket.io-client';

export interface PriceLevel {
  price: number;
  size: number;
  source: string;
}

/** A price as the gateway sends it; `timestamp` is milliseconds since the epoch. */
export interface PriceUpdate {
  symbol: string;
  bestBid: PriceLevel;
  bestAsk: PriceLevel;
  midPrice: number;
  spread: number;
  spreadBps: number;
  timestamp: number;
}

export interface SnapshotMessage {
  prices: PriceUpdate[];
}

export interface ConnectedMessage {
  clientId: string;
  timestamp: number;
}

export interface HeartbeatMessage {
  timestamp: number;
}

export interface MarketDataError {
  code: string;
  message: string;
}

export interface SymbolError {
  symbol: string;
  code: string;
  message?: string;
}

export interface SubscribeResponse {
  subscribed?: string[];
  errors?: SymbolError[];
  error?: string;
}

export interface UnsubscribeResponse {
  unsubscribed?: string[];
  error?: string;
}

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'error';

export interface MarketDataClientOptions {
  /** The gateway's base URL, e.g. `http://localhost:3000`; the namespace is appended. */
  url: string;
  token: string;
  autoConnect?: boolean;
  reconnection?: boolean;
}

interface MarketDataEvents {
  connected: ConnectedMessage;
  price: PriceUpdate;
  snapshot: SnapshotMessage;
  heartbeat: HeartbeatMessage;
  error: MarketDataError;
  state: ConnectionState;
}

type Listener<K extends keyof MarketDataEvents> = (data: MarketDataEvents[K]) => void;

export class MarketDataClient {
  private socket: Socket | null = null;
  private readonly listeners: { [K in keyof MarketDataEvents]?: Set<Listener<K>> } = {};
  private currentState: ConnectionState = 'disconnected';

  constructor(private readonly options: MarketDataClientOptions) {
    if (options.autoConnect) this.connect();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get isConnected(): boolean {
    return this.currentState === 'connected';
  }

  connect(): void {
    if (this.socket) return;
    const { url, token } = this.options;
    this.setState('connecting');
    const socket = io(url + '/market-data', {
      auth: { token },
      query: { token },
      transports: ['websocket'],
      reconnection: this.options.reconnection ?? true,
    });
    this.socket = socket;

    socket.on('connected', (data: ConnectedMessage) => {
      this.setState('connected');
      this.emit('connected', data);
    });
    socket.on('price', (data: PriceUpdate) => this.emit('price', data));
    socket.on('snapshot', (data: SnapshotMessage) => this.emit('snapshot', data));
    socket.on('heartbeat', (data: HeartbeatMessage) => this.emit('heartbeat', data));
    socket.on('error', (data: MarketDataError) => this.emit('error', data));
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      this.setState('error');
      this.emit('error', { code: err.data?.code ?? 'CONNECTION_ERROR', message: err.message });
    });
    socket.on('disconnect', () => this.setState('disconnected'));
  }

  disconnect(): void {
    if (!this.socket) return;
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.socket = null;
    this.setState('disconnected');
  }

  subscribe(symbols: string[]): Promise<SubscribeResponse> {
    return this.request<SubscribeResponse>('subscribe', symbols);
  }

  unsubscribe(symbols: string[]): Promise<UnsubscribeResponse> {
    return this.request<UnsubscribeResponse>('unsubscribe', symbols);
  }

  on<K extends keyof MarketDataEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners[event] as Set<Listener<K>> | undefined;
    if (!set) {
      set = new Set();
      (this.listeners as Record<string, unknown>)[event] = set;
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof MarketDataEvents>(event: K, listener: Listener<K>): void {
    (this.listeners[event] as Set<Listener<K>> | undefined)?.delete(listener);
  }

  private request<T>(event: 'subscribe' | 'unsubscribe', symbols: string[]): Promise<T> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('Not connected'));
    return new Promise<T>((resolve, reject) => {
      socket.emit(event, { symbols }, (response: T & { error?: string }) => {
        if (response && response.error) reject(new Error(response.error));
        else resolve(response);
      });
    });
  }

  private setState(state: ConnectionState): void {
    if (this.currentState === state) return;
    // A refused connection stays in 'error' when socket.io-client reports the disconnect that follows.
    if (this.currentState === 'error' && state === 'disconnected' && this.socket) return;
    this.currentState = state;
    this.emit('state', state);
  }

  private emit<K extends keyof MarketDataEvents>(event: K, data: MarketDataEvents[K]): void {
    const set = this.listeners[event] as Set<Listener<K>> | undefined;
    if (set) for (const listener of [...set]) listener(data);
  }
}
