import { SUBPROTOCOLS, decodeMessage, encodeMessage } from './codec.js';
import { readJwtExp } from './jwt.js';
import type {
  AckMessage,
  ClientMessage,
  ConnectedMessage,
  Encoding,
  Price,
  ServerMessage,
  StatusMessage,
  SymbolError,
} from './types.js';

/** The part of the WHATWG WebSocket the client uses (browsers, Node >= 22, or the `ws` package). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly protocol: string;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string | Uint8Array | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface MarketDataClientOptions {
  /** e.g. `wss://edge.example/market-data`; the token is appended as `?token=`. */
  url: string;
  /** A static bearer token. */
  token?: string;
  /** Called before each connection and before the token's `exp`; enables token refresh. */
  getToken?: () => string | Promise<string>;
  /** Reconnect after a dropped connection (default true). */
  reconnection?: boolean;
  /** Consecutive failed attempts before giving up (default Infinity). */
  reconnectionAttempts?: number;
  /** First backoff delay in ms (default 1000); doubles per attempt, with jitter. */
  reconnectionDelay?: number;
  /** Backoff ceiling in ms (default 30000). */
  reconnectionDelayMax?: number;
  /** Wire encoding (default 'msgpack'). */
  encoding?: Encoding;
  /** WebSocket implementation (default: globalThis.WebSocket). In Node < 22 pass `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Timeout for an ack, in ms (default 10000). */
  requestTimeout?: number;
  /** Refresh the token this many ms before `exp` (default 60000; never before half the token's remaining life). */
  tokenRefreshMargin?: number;
  /** Connect in the constructor (default true); otherwise call connect(). */
  autoConnect?: boolean;
}

export type PriceCallback = (price: Price) => void;

export interface SubscribeResult {
  subscribed: string[];
  errors: SymbolError[];
}
export interface UnsubscribeResult {
  unsubscribed: string[];
  errors: SymbolError[];
}

/** An error the client reports; `code` is a protocol error code, a close code as text, or a client code. */
export class EdgeClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly closeCode?: number,
  ) {
    super(message);
    this.name = 'EdgeClientError';
  }
}

export interface DisconnectedEvent {
  code: number;
  reason: string;
  willReconnect: boolean;
}

export interface ClientEvents {
  connected: (info: ConnectedMessage) => void;
  disconnected: (ev: DisconnectedEvent) => void;
  error: (err: EdgeClientError) => void;
  status: (status: StatusMessage) => void;
  price: (price: Price) => void;
  reconnecting: (ev: { attempt: number; delay: number }) => void;
}

interface Pending {
  resolve: (ack: AckMessage) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Close codes after which the client reconnects (docs/protocol.md, "Close codes"). */
const RECONNECT_CODES = new Set([1001, 1005, 1006, 1011, 1012, 1013, 1014, 4001, 4008]);
const OPEN = 1;

export class MarketDataClient {
  private readonly opts: Required<
    Omit<MarketDataClientOptions, 'token' | 'getToken' | 'WebSocket'>
  > & Pick<MarketDataClientOptions, 'token' | 'getToken'>;
  private readonly WS: WebSocketConstructor;
  private socket: WebSocketLike | undefined;
  private connected = false;
  private closedByUser = false;
  private attempt = 0;
  private nextId = 1;
  private token: string | undefined;
  private info: ConnectedMessage | undefined;
  private lastMessageAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly callbacks = new Map<string, Set<PriceCallback>>();
  /** Symbols the application wants; restored on every new connection. */
  private readonly wanted = new Set<string>();
  private readonly lastSequence = new Map<string, number>();
  private readonly listeners: { [K in keyof ClientEvents]?: Set<ClientEvents[K]> } = {};
  private connectWaiters: Array<() => void> = [];
  private readonly awaitingConnect = new Map<string, number>();
  /** Prices dropped because their sequence was not above the last one seen for the symbol. */
  droppedStale = 0;

  constructor(options: MarketDataClientOptions) {
    const WS = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WS) throw new Error('No WebSocket implementation: pass the `ws` package as options.WebSocket');
    this.WS = WS;
    this.opts = {
      url: options.url,
      token: options.token,
      getToken: options.getToken,
      reconnection: options.reconnection ?? true,
      reconnectionAttempts: options.reconnectionAttempts ?? Infinity,
      reconnectionDelay: options.reconnectionDelay ?? 1000,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 30000,
      encoding: options.encoding ?? 'msgpack',
      requestTimeout: options.requestTimeout ?? 10000,
      tokenRefreshMargin: options.tokenRefreshMargin ?? 60000,
      autoConnect: options.autoConnect ?? true,
    };
    this.token = options.token;
    if (this.opts.autoConnect) this.connect();
  }

  // ---- events -------------------------------------------------------------------------------

  on<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): this {
    ((this.listeners[event] ??= new Set() as never) as Set<ClientEvents[K]>).add(fn);
    return this;
  }

  off<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): this {
    (this.listeners[event] as Set<ClientEvents[K]> | undefined)?.delete(fn);
    return this;
  }

  private emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    const set = this.listeners[event] as Set<(...a: unknown[]) => void> | undefined;
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (e) {
        if (event !== 'error') this.emit('error', new EdgeClientError('LISTENER_ERROR', String(e)));
      }
    }
  }

  // ---- public API ---------------------------------------------------------------------------

  isConnected(): boolean {
    return this.connected;
  }

  /** The `connected` message of the current connection (limits, heartbeat interval). */
  get connection(): ConnectedMessage | undefined {
    return this.info;
  }

  /** Opens the connection (no-op if already open or opening). */
  connect(): void {
    this.closedByUser = false;
    if (this.socket || this.reconnectTimer) return;
    void this.open();
  }

  /** Closes the connection for good (code 1000); pending requests are rejected. */
  disconnect(): void {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const s = this.socket;
    this.teardown(new EdgeClientError('DISCONNECTED', 'client disconnected'));
    if (s) {
      try {
        s.close(1000, 'client disconnect');
      } catch {
        /* already closed */
      }
      if (this.wasConnected) {
        this.wasConnected = false;
        this.emit('disconnected', { code: 1000, reason: 'client disconnect', willReconnect: false });
      }
    }
  }

  /**
   * Subscribes; `callback` receives every price (and snapshot entry) of these symbols. Resolves with
   * the ack (symbols refused by the server are in `errors` and are not retried on reconnect).
   */
  async subscribe(symbols: string | string[], callback?: PriceCallback): Promise<SubscribeResult> {
    const list = Array.isArray(symbols) ? symbols : [symbols];
    for (const s of list) {
      this.wanted.add(s);
      if (callback) {
        let set = this.callbacks.get(s);
        if (!set) this.callbacks.set(s, (set = new Set()));
        set.add(callback);
      }
    }
    if (!this.connected) {
      // This call sends its own request once connected; keep the symbols out of the automatic resubscribe.
      for (const s of list) this.awaitingConnect.set(s, (this.awaitingConnect.get(s) ?? 0) + 1);
      try {
        await this.whenConnected();
      } finally {
        for (const s of list) {
          const n = (this.awaitingConnect.get(s) ?? 1) - 1;
          if (n > 0) this.awaitingConnect.set(s, n);
          else this.awaitingConnect.delete(s);
        }
      }
    }
    const result: SubscribeResult = { subscribed: [], errors: [] };
    for (const chunk of this.chunks(list)) {
      const ack = await this.request({ type: 'subscribe', id: 0, symbols: chunk });
      result.subscribed.push(...(ack.subscribed ?? []));
      result.errors.push(...ack.errors);
      for (const e of ack.errors) this.forget(e.symbol);
    }
    return result;
  }

  /** Unsubscribes and drops the symbols' callbacks. */
  async unsubscribe(symbols: string | string[]): Promise<UnsubscribeResult> {
    const list = Array.isArray(symbols) ? symbols : [symbols];
    for (const s of list) this.forget(s);
    if (!this.connected) return { unsubscribed: list, errors: [] };
    const result: UnsubscribeResult = { unsubscribed: [], errors: [] };
    for (const chunk of this.chunks(list)) {
      const ack = await this.request({ type: 'unsubscribe', id: 0, symbols: chunk });
      result.unsubscribed.push(...(ack.unsubscribed ?? []));
      result.errors.push(...ack.errors);
    }
    return result;
  }

  /** Removes one callback; the subscription itself stays (call unsubscribe to end it). */
  removeCallback(symbol: string, callback: PriceCallback): void {
    const set = this.callbacks.get(symbol);
    if (!set) return;
    set.delete(callback);
    if (set.size === 0) this.callbacks.delete(symbol);
  }

  // ---- connection ---------------------------------------------------------------------------

  private wasConnected = false;

  private async open(): Promise<void> {
    if (this.opts.getToken) {
      try {
        this.token = await this.opts.getToken();
      } catch (e) {
        this.emit('error', new EdgeClientError('TOKEN_FETCH_FAILED', `getToken failed: ${String(e)}`));
        this.scheduleReconnect();
        return;
      }
      if (this.closedByUser) return;
    }
    let url = this.opts.url;
    if (this.token) url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(this.token);
    let socket: WebSocketLike;
    try {
      socket = new this.WS(url, [SUBPROTOCOLS[this.opts.encoding]]);
    } catch (e) {
      this.emit('error', new EdgeClientError('CONNECT_FAILED', String(e)));
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    // No `connected` within requestTimeout (handshake or server stuck): drop this attempt and retry.
    this.connectTimer = setTimeout(() => {
      if (this.socket === socket && !this.connected) this.abandon(socket, 'connect timeout');
    }, this.opts.requestTimeout);
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.onMessage(ev.data);
    };
    socket.onclose = (ev) => {
      if (this.socket === socket) this.onClosed(ev.code, ev.reason ?? '');
    };
    socket.onerror = () => {
      /* a close event follows; errors carry no detail in browsers */
    };
  }

  private onMessage(data: unknown): void {
    this.lastMessageAt = Date.now();
    let msg: ServerMessage | undefined;
    try {
      msg = decodeMessage(this.opts.encoding, data);
    } catch (e) {
      this.emit('error', new EdgeClientError('DECODE_FAILED', String(e)));
      return;
    }
    if (!msg) return;
    switch (msg.type) {
      case 'price':
        this.deliver(msg);
        break;
      case 'snapshot':
        for (const p of msg.prices) this.deliver(p);
        break;
      case 'ack': {
        const p = this.pending.get(msg.id);
        if (p) {
          this.pending.delete(msg.id);
          clearTimeout(p.timer);
          p.resolve(msg);
        }
        break;
      }
      case 'error': {
        const err = new EdgeClientError(msg.code, msg.message);
        const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
        if (p && msg.id !== undefined) {
          this.pending.delete(msg.id);
          clearTimeout(p.timer);
          p.reject(err);
        } else this.emit('error', err);
        break;
      }
      case 'connected':
        this.onConnected(msg);
        break;
      case 'status':
        this.emit('status', msg);
        break;
      default:
        break; // heartbeat / pong / unknown types: only refresh liveness
    }
  }

  private onConnected(info: ConnectedMessage): void {
    clearTimeout(this.connectTimer);
    this.info = info;
    this.connected = true;
    this.wasConnected = true;
    this.attempt = 0;
    // Sequences are tracked per connection: a restarted upstream may start them again.
    this.lastSequence.clear();
    this.startHeartbeatWatch(info.heartbeatInterval);
    this.scheduleTokenRefresh();
    this.emit('connected', info);
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w();
    void this.resubscribe();
  }

  private async resubscribe(): Promise<void> {
    const symbols = [...this.wanted].filter((s) => !this.awaitingConnect.has(s));
    for (const chunk of this.chunks(symbols)) {
      try {
        const ack = await this.request({ type: 'subscribe', id: 0, symbols: chunk });
        for (const e of ack.errors) this.forget(e.symbol);
      } catch (e) {
        if (!this.connected) return;
        this.emit('error', e instanceof EdgeClientError ? e : new EdgeClientError('RESUBSCRIBE_FAILED', String(e)));
      }
    }
  }

  private onClosed(code: number, reason: string): void {
    const wasConnected = this.wasConnected;
    this.wasConnected = false;
    this.teardown(new EdgeClientError('DISCONNECTED', `connection closed (${code})`, code));
    // 4001 is only worth a reconnect with a fresh token.
    const reconnectable = RECONNECT_CODES.has(code) && !(code === 4001 && !this.opts.getToken);
    const willReconnect = !this.closedByUser && this.opts.reconnection && reconnectable;
    if (!this.closedByUser && !reconnectable && code !== 1000) {
      this.emit('error', new EdgeClientError(String(code), `connection closed with ${code}${reason ? ': ' + reason : ''}`, code));
    }
    if (wasConnected) this.emit('disconnected', { code, reason, willReconnect });
    if (willReconnect) this.scheduleReconnect(hintedDelay(code, reason));
    else if (!this.closedByUser) this.rejectConnectWaiters(new EdgeClientError(String(code), `connection closed (${code})`, code));
  }

  /** Clears per-connection state; rejects pending requests. */
  private teardown(err: Error): void {
    this.connected = false;
    this.socket = undefined;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.connectTimer);
    clearTimeout(this.refreshTimer);
    this.heartbeatTimer = this.refreshTimer = undefined;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    if (this.closedByUser) this.rejectConnectWaiters(err);
  }

  private scheduleReconnect(minDelay = 0): void {
    if (this.closedByUser || !this.opts.reconnection) return;
    if (this.attempt >= this.opts.reconnectionAttempts) {
      const err = new EdgeClientError('RECONNECT_FAILED', `gave up after ${this.attempt} attempts`);
      this.emit('error', err);
      this.rejectConnectWaiters(err);
      return;
    }
    const base = Math.min(this.opts.reconnectionDelayMax, this.opts.reconnectionDelay * 2 ** this.attempt);
    // Jitter: 50..100 % of the exponential step, so clients dropped together do not return together.
    // A server-hinted delay (1001) gets 0..20 % jitter on top, for the same reason.
    const delay = Math.max(minDelay * (1 + Math.random() * 0.2), base * (0.5 + Math.random() * 0.5));
    this.attempt++;
    this.emit('reconnecting', { attempt: this.attempt, delay });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closedByUser) void this.open();
    }, delay);
  }

  private startHeartbeatWatch(intervalMs: number): void {
    if (!(intervalMs > 0)) return;
    const limit = intervalMs * 2.5;
    this.lastMessageAt = Date.now();
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastMessageAt <= limit) return;
      // Silent for 2.5 heartbeats: treat as a dropped connection.
      if (this.socket) this.abandon(this.socket, 'heartbeat timeout');
    }, Math.min(intervalMs / 2, 5000));
  }

  /** Gives up on a socket that looks dead: closes it quietly and handles it as a dropped connection (1006). */
  private abandon(s: WebSocketLike, reason: string): void {
    s.onclose = s.onmessage = null;
    try {
      s.close(4000, reason);
    } catch {
      /* not open yet or already closed */
    }
    this.onClosed(1006, reason);
  }

  private scheduleTokenRefresh(): void {
    if (!this.opts.getToken || !this.token) return;
    const exp = readJwtExp(this.token);
    if (exp === undefined) return;
    const remaining = exp * 1000 - Date.now();
    // `margin` before exp, but not before half the remaining life (a short-lived token is not refreshed
    // in a tight loop) and not more often than once a second.
    const wait = Math.max(1000, remaining - this.opts.tokenRefreshMargin, remaining / 2);
    this.refreshTimer = setTimeout(() => void this.refreshToken(), wait);
  }

  private async refreshToken(): Promise<void> {
    const socket = this.socket;
    try {
      const token = await this.opts.getToken!();
      if (this.socket !== socket || !this.connected) return;
      this.token = token;
      this.send({ type: 'auth', token });
      this.scheduleTokenRefresh();
    } catch (e) {
      this.emit('error', new EdgeClientError('TOKEN_FETCH_FAILED', `getToken failed: ${String(e)}`));
      this.refreshTimer = setTimeout(() => void this.refreshToken(), 5000);
    }
  }

  // ---- requests and prices ------------------------------------------------------------------

  private send(msg: ClientMessage): void {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) throw new EdgeClientError('NOT_CONNECTED', 'not connected');
    s.send(encodeMessage(this.opts.encoding, msg));
  }

  private request(msg: ClientMessage & { id: number }): Promise<AckMessage> {
    const id = this.nextId++;
    msg.id = id;
    return new Promise<AckMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new EdgeClientError('TIMEOUT', `no ack for request ${id} within ${this.opts.requestTimeout} ms`));
      }, this.opts.requestTimeout);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.send(msg);
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  private whenConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    if (this.closedByUser) return Promise.reject(new EdgeClientError('DISCONNECTED', 'client disconnected'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.connectWaiters = this.connectWaiters.filter((w) => w !== done);
        reject(new EdgeClientError('TIMEOUT', 'not connected in time'));
      }, this.opts.requestTimeout);
      const done = Object.assign(
        () => {
          clearTimeout(timer);
          resolve();
        },
        { reject: (e: Error) => (clearTimeout(timer), reject(e)) },
      );
      this.connectWaiters.push(done);
    });
  }

  private rejectConnectWaiters(err: Error): void {
    const waiters = this.connectWaiters as Array<(() => void) & { reject?: (e: Error) => void }>;
    this.connectWaiters = [];
    for (const w of waiters) w.reject?.(err);
  }

  /** Applies the per-symbol sequence filter, then calls the symbol's callbacks and `price` listeners. */
  private deliver(price: Price): void {
    const last = this.lastSequence.get(price.symbol);
    if (last !== undefined && price.sequence <= last) {
      this.droppedStale++;
      return;
    }
    this.lastSequence.set(price.symbol, price.sequence);
    const set = this.callbacks.get(price.symbol);
    if (set) {
      for (const cb of [...set]) {
        try {
          cb(price);
        } catch (e) {
          this.emit('error', new EdgeClientError('CALLBACK_ERROR', String(e)));
        }
      }
    }
    this.emit('price', price);
  }

  private forget(symbol: string): void {
    this.wanted.delete(symbol);
    this.callbacks.delete(symbol);
    this.lastSequence.delete(symbol);
  }

  private chunks(list: string[]): string[][] {
    const size = this.info?.limits?.maxSymbolsPerRequest || 100;
    const out: string[][] = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return out;
  }
}

/** A 1001 reason such as `restart; reconnect in 5s` sets the minimum delay before reconnecting. */
function hintedDelay(code: number, reason: string): number {
  if (code !== 1001) return 0;
  const m = /reconnect in (\d+(?:\.\d+)?)\s*(ms|s)\b/.exec(reason);
  if (!m) return 0;
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}
