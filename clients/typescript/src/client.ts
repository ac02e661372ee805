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

/** The part of the WHATWG EventSource the client uses (browsers, or the npm `eventsource` package under Node). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (ev: any) => void): void;
  close(): void;
}
/** The second argument carries `fetch` (read by the npm `eventsource` package, ignored by browsers). */
export type EventSourceConstructor = new (url: string, init?: any) => EventSourceLike;

/** Which transport carries the data: the WebSocket, or the Server-Sent Events fallback. */
export type Transport = 'websocket' | 'sse';

export interface SubscribeOptions {
  /** At most this many updates per second per symbol (server-side conflation; latest wins). */
  maxRate?: number;
}

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
  /** When the WebSocket cannot connect (not on a known 401/403), use Server-Sent Events instead (default false). */
  sseFallback?: boolean;
  /** EventSource implementation for the fallback (default: globalThis.EventSource). In Node pass the npm `eventsource`. */
  EventSource?: EventSourceConstructor;
  /** The SSE stream URL (default: `url` with ws→http, wss→https and the path `/market-data/stream`). */
  sseUrl?: string;
  /** The server's SSE heartbeat period in ms (Edge's `Sse:HeartbeatSeconds`, default 15000). */
  sseHeartbeatInterval?: number;
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
const CLOSED = 2;

/** A subscribe (or unsubscribe) over SSE waiting for a stream that carries its symbols. */
interface SseWaiter {
  list: string[];
  resolve: (r: SubscribeResult) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class MarketDataClient {
  private readonly opts: Required<
    Omit<MarketDataClientOptions, 'token' | 'getToken' | 'WebSocket' | 'EventSource'>
  > & Pick<MarketDataClientOptions, 'token' | 'getToken'>;
  private readonly WS: WebSocketConstructor;
  private readonly ES: EventSourceConstructor | undefined;
  private socket: WebSocketLike | undefined;
  private mode: Transport = 'websocket';
  /** HTTP status of a refused WebSocket handshake, when the implementation tells it (`ws` does, browsers do not). */
  private handshakeStatus: number | undefined;
  // ---- SSE state
  private source: EventSourceLike | undefined;
  /** Bumped whenever a stream is replaced, so late answers about an older one are ignored. */
  private sseGen = 0;
  private streamSymbols = new Set<string>();
  private streamKey = '';
  private lastEventId: string | undefined;
  private reopenTick: Promise<void> | undefined;
  private sseWaiters: SseWaiter[] = [];
  /** Symbols the server refused on a stream, with why; reported to the subscribe calls waiting for them. */
  private readonly sseErrors = new Map<string, SymbolError>();
  private readonly rates = new Map<string, number | undefined>();
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
    this.ES = options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    if (options.sseFallback && !this.ES) throw new Error('sseFallback needs an EventSource: pass the npm `eventsource` package as options.EventSource');
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
      sseFallback: options.sseFallback ?? false,
      sseUrl: options.sseUrl ?? (options.sseFallback ? sseUrlFor(options.url) : ''),
      sseHeartbeatInterval: options.sseHeartbeatInterval ?? 15000,
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

  /** The transport in use: `'websocket'`, or `'sse'` after falling back to Server-Sent Events. */
  get transport(): Transport {
    return this.mode;
  }

  /** The `connected` message of the current connection (limits, heartbeat interval); synthesized over SSE. */
  get connection(): ConnectedMessage | undefined {
    return this.info;
  }

  /** Opens the connection (no-op if already open or opening). */
  connect(): void {
    this.closedByUser = false;
    if (this.socket || this.source || this.connected || this.reconnectTimer) return;
    this.mode = 'websocket';
    void this.open();
  }

  /** Closes the connection for good (code 1000); pending requests are rejected. */
  disconnect(): void {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const s = this.socket ?? this.source;
    this.teardown(new EdgeClientError('DISCONNECTED', 'client disconnected'));
    try {
      s?.close(1000, 'client disconnect');
    } catch {
      /* already closed */
    }
    // (An idle SSE connection, one with no symbols to stream, has no stream to close but was connected.)
    if (this.wasConnected) {
      this.wasConnected = false;
      this.emit('disconnected', { code: 1000, reason: 'client disconnect', willReconnect: false });
    }
  }

  /**
   * Subscribes; `callback` receives every price (and snapshot entry) of these symbols. Resolves with
   * the ack (symbols refused by the server are in `errors` and are not retried on reconnect).
   */
  async subscribe(symbols: string | string[], callback?: PriceCallback, options?: SubscribeOptions): Promise<SubscribeResult> {
    const list = Array.isArray(symbols) ? symbols : [symbols];
    const maxRate = options?.maxRate;
    for (const s of list) {
      this.wanted.add(s);
      this.rates.set(s, maxRate);
      this.sseErrors.delete(s);
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
    if (this.mode === 'sse') return this.sseRequest(list);
    const result: SubscribeResult = { subscribed: [], errors: [] };
    for (const chunk of this.chunks(list)) {
      const ack = await this.request(subscribeMessage(chunk, maxRate));
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
    if (this.mode === 'sse') {
      await this.scheduleSseReopen(); // the stream without these symbols has replaced the old one
      return { unsubscribed: list, errors: [] };
    }
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

  private async open(reuseToken = false): Promise<void> {
    if (this.opts.getToken && !reuseToken) {
      try {
        this.token = await this.opts.getToken();
      } catch (e) {
        this.emit('error', new EdgeClientError('TOKEN_FETCH_FAILED', `getToken failed: ${String(e)}`));
        this.scheduleReconnect();
        return;
      }
      if (this.closedByUser) return;
    }
    if (this.mode === 'sse') this.openSse();
    else this.openWebSocket();
  }

  private openWebSocket(): void {
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
    socket.onerror = (ev) => {
      // A close event follows. Browsers give no detail; `ws` names a refused handshake's HTTP status.
      const m = /response: (\d{3})/.exec(String(ev?.message ?? ev?.error?.message ?? ''));
      if (m && this.socket === socket) this.handshakeStatus = Number(m[1]);
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
    // One request per distinct maxRate, so every symbol keeps the rate it was subscribed with.
    const byRate = new Map<number | undefined, string[]>();
    for (const s of this.wanted) {
      if (this.awaitingConnect.has(s)) continue;
      const r = this.rates.get(s);
      byRate.set(r, [...(byRate.get(r) ?? []), s]);
    }
    for (const [rate, symbols] of byRate) for (const chunk of this.chunks(symbols)) {
      try {
        const ack = await this.request(subscribeMessage(chunk, rate));
        for (const e of ack.errors) this.forget(e.symbol);
      } catch (e) {
        if (!this.connected) return;
        this.emit('error', e instanceof EdgeClientError ? e : new EdgeClientError('RESUBSCRIBE_FAILED', String(e)));
      }
    }
  }

  private onClosed(code: number, reason: string): void {
    const wasConnected = this.wasConnected;
    const status = this.handshakeStatus;
    this.handshakeStatus = undefined;
    this.wasConnected = false;
    this.teardown(new EdgeClientError('DISCONNECTED', `connection closed (${code})`, code));
    if (!wasConnected && code === 1006 && !this.closedByUser) {
      if (status === 401 || status === 403) {
        // An auth refusal is not a transport problem: report it, never fall back.
        this.emit('error', new EdgeClientError('HTTP_' + status, `WebSocket handshake refused with HTTP ${status}`));
      } else if (this.opts.sseFallback && this.ES) {
        // The WebSocket could not connect (upgrade refused or stripped, handshake failed): try SSE right away.
        this.mode = 'sse';
        void this.open(true); // with the token just fetched for the WebSocket
        return;
      }
    }
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
    this.closeSource();
    this.sseGen++; // whatever was still pending for the old stream is void
    this.streamSymbols = new Set();
    this.streamKey = '';
    for (const w of this.sseWaiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
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
      else if (this.source) this.sseClosed('heartbeat timeout');
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
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshToken(), wait);
  }

  private async refreshToken(): Promise<void> {
    const socket = this.socket;
    try {
      const token = await this.opts.getToken!();
      if (this.socket !== socket || !this.connected) return;
      this.token = token;
      // SSE has no auth command: the stream is reopened with the new token (its snapshot fills the gap).
      if (this.mode === 'sse') this.reopenSse();
      else this.send({ type: 'auth', token });
      this.scheduleTokenRefresh();
    } catch (e) {
      this.emit('error', new EdgeClientError('TOKEN_FETCH_FAILED', `getToken failed: ${String(e)}`));
      this.refreshTimer = setTimeout(() => void this.refreshToken(), 5000);
    }
  }

  // ---- Server-Sent Events fallback -----------------------------------------------------------
  // A stream's symbols are fixed by its URL: (un)subscribing replaces the stream with one for the new set
  // (one replacement per tick for a burst). Replacing a stream keeps the connection (no events, same sequence
  // filter); a stream that drops, or fails to open, is a lost connection like a WebSocket's 1006.

  /** Opens a stream for every wanted symbol (none wanted: connected without a stream). */
  private openSse(): void {
    this.closeSource();
    const gen = ++this.sseGen;
    const symbols = [...this.wanted];
    const rate = this.streamRate(symbols);
    const key = symbols.join(',') + '|' + rate;
    let url = this.opts.sseUrl;
    const query: string[] = [];
    if (symbols.length) query.push('symbols=' + symbols.map(encodeURIComponent).join(','));
    if (rate !== undefined) query.push('maxRate=' + rate);
    if (this.token) query.push('token=' + encodeURIComponent(this.token));
    if (this.lastEventId) query.push('lastEventId=' + this.lastEventId);
    url += (url.includes('?') ? '&' : '?') + query.join('&');
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.sseGen === gen) this.sseClosed('connect timeout');
    }, this.opts.requestTimeout);
    if (symbols.length === 0) {
      // Nothing to stream. A connection in use just goes idle; a new one first checks that Edge answers
      // (a stream request without symbols gets 400 INVALID_SYMBOL, or 401 for a bad token).
      if (this.connected) this.onSseOpen(key, symbols, false);
      else void this.diagnoseSse(url, gen, key);
      return;
    }
    this.lastMessageAt = Date.now();
    let fetched = false;
    const f = globalThis.fetch;
    // For implementations that read through `fetch` (the npm `eventsource`), every body chunk, including the
    // `: hb` comments an EventSource never shows, counts as liveness.
    const fetch = f && (async (input: any, init: any) => {
      const res = await f(input, init);
      fetched = true;
      if (!res.body) return res;
      const mark = new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, out) => {
          if (this.sseGen === gen) this.lastMessageAt = Date.now();
          out.enqueue(chunk);
        },
      });
      return new Response(res.body.pipeThrough(mark), { status: res.status, statusText: res.statusText, headers: res.headers });
    });
    let source: EventSourceLike;
    try {
      source = new this.ES!(url, { fetch });
    } catch (e) {
      this.emit('error', new EdgeClientError('CONNECT_FAILED', String(e)));
      this.sseClosed('cannot open the stream');
      return;
    }
    this.source = source;
    const on = (type: string, fn: (ev: { data?: unknown; lastEventId?: string }) => void) =>
      source.addEventListener(type, (ev) => {
        if (this.sseGen !== gen) return;
        this.lastMessageAt = Date.now();
        try {
          fn(ev);
        } catch (e) {
          this.emit('error', new EdgeClientError('DECODE_FAILED', String(e)));
        }
      });
    const decode = (ev: { data?: unknown }) => decodeMessage('json', ev.data);
    on('snapshot', (ev) => {
      const msg = decode(ev);
      this.onSseOpen(key, symbols, fetched);
      if (msg?.type === 'snapshot') for (const p of msg.prices) this.deliver(p);
    });
    on('price', (ev) => {
      const msg = decode(ev);
      if (ev.lastEventId) this.lastEventId = ev.lastEventId;
      if (msg?.type === 'price') this.deliver(msg);
    });
    on('status', (ev) => {
      const msg = decode(ev);
      if (msg?.type === 'status') this.emit('status', msg);
    });
    on('error', (ev) => {
      if (typeof ev.data === 'string') {
        // The server's `error` event (TOKEN_EXPIRED); the stream ends after it.
        const msg = decode(ev);
        if (msg?.type === 'error') this.onSseServerError(msg.code, msg.message);
      } else if (source.readyState === CLOSED) {
        // Refused (a non-200 answer): EventSource hides the status and body, so ask once more with fetch.
        this.closeSource();
        void this.diagnoseSse(url, gen);
      } else this.sseClosed('stream closed');
    });
  }

  /** The stream is up (its snapshot arrived): the connection is established if it was not. */
  private onSseOpen(key: string, symbols: string[], heartbeats: boolean): void {
    clearTimeout(this.connectTimer);
    this.streamSymbols = new Set(symbols);
    this.streamKey = key;
    if (!this.connected) {
      this.connected = this.wasConnected = true;
      this.attempt = 0;
      this.lastSequence.clear(); // a new connection, as over WebSocket
      this.info = {
        type: 'connected',
        clientId: '',
        serverTime: BigInt(Date.now()) * 1000000n,
        heartbeatInterval: this.opts.sseHeartbeatInterval,
        limits: { maxSubscriptions: 100, maxSymbolsPerRequest: 100, maxMessageBytes: 0, maxMessagesPerSecond: 0 },
      };
      this.scheduleTokenRefresh();
      this.emit('connected', this.info);
      const waiters = this.connectWaiters;
      this.connectWaiters = [];
      for (const w of waiters) w();
    }
    if (heartbeats && !this.heartbeatTimer) this.startHeartbeatWatch(this.opts.sseHeartbeatInterval);
    this.settleSseWaiters();
    // Symbols wanted since this stream was requested need another one.
    if (this.sseWaiters.length) void this.scheduleSseReopen();
  }

  /** Reads the status and JSON body of a refused stream request and acts on them. */
  private async diagnoseSse(url: string, gen: number, probeKey?: string): Promise<void> {
    let status = 0;
    let body: { error?: string; message?: string; symbols?: SymbolError[] } | undefined;
    try {
      const ctrl = new AbortController();
      const res = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: ctrl.signal });
      status = res.status;
      if (status === 200) ctrl.abort();
      else body = await res.json().catch(() => undefined);
    } catch {
      /* network: status 0 */
    }
    if (this.sseGen !== gen || this.closedByUser) return;
    if (probeKey !== undefined && status === 400) return this.onSseOpen(probeKey, [], false);
    const code = body?.error ?? (status ? 'HTTP_' + status : 'NETWORK_ERROR');
    const message = body?.message ?? `stream refused (${status})`;
    let refused = Array.isArray(body?.symbols) ? body!.symbols! : [];
    if (!refused.length && status === 400) {
      // A refusal of the stream as a whole (too many symbols, bad maxRate): charge it to the symbols it added.
      const added = [...this.wanted].filter((s) => !this.streamSymbols.has(s));
      refused = (added.length ? added : [...this.wanted]).map((symbol) => ({ symbol, code, message }));
    }
    if (refused.length && (status === 400 || status === 403)) {
      for (const e of refused) {
        this.sseErrors.set(e.symbol, e);
        this.forget(e.symbol);
      }
      if (!this.connected) this.openSse(); // the first stream of a connection: try again without them
      else this.reopenSse();
      return;
    }
    if (status === 401 && code === 'TOKEN_EXPIRED' && this.opts.getToken) return this.sseClosed('token expired');
    if (status >= 400) this.emit('error', new EdgeClientError(code, message));
    // Forbidden, or unauthorized with no way to get another token: retrying would only hammer the server.
    if (status === 403 || (status === 401 && !this.opts.getToken)) this.sseClosed(code, false);
    else this.sseClosed(code);
  }

  private onSseServerError(code: string, message: string): void {
    this.closeSource();
    if (code === 'TOKEN_EXPIRED' && this.opts.getToken) {
      // Fetch a new token and reopen, keeping the connection.
      this.sseGen++;
      void this.refreshToken();
      return;
    }
    this.emit('error', new EdgeClientError(code, message));
    this.sseClosed(code, code !== 'TOKEN_EXPIRED');
  }

  /** The stream dropped or could not open: a lost connection (reconnect with backoff unless `retry` is false). */
  private sseClosed(reason: string, retry = true): void {
    const wasConnected = this.wasConnected;
    this.wasConnected = false;
    this.teardown(new EdgeClientError('DISCONNECTED', `stream closed (${reason})`, 1006));
    // A stream that never opened proves nothing about SSE: the next attempt tries the WebSocket again.
    if (!wasConnected) this.mode = 'websocket';
    const willReconnect = retry && !this.closedByUser && this.opts.reconnection;
    if (wasConnected) this.emit('disconnected', { code: 1006, reason, willReconnect });
    if (willReconnect) this.scheduleReconnect();
    else if (!this.closedByUser) this.rejectConnectWaiters(new EdgeClientError('DISCONNECTED', `stream closed (${reason})`));
  }

  private closeSource(): void {
    const s = this.source;
    this.source = undefined;
    try {
      s?.close();
    } catch {
      /* already closed */
    }
  }

  /** Replaces the current stream with one for the wanted symbols, keeping the connection. */
  private reopenSse(): void {
    if (this.connected && this.mode === 'sse') this.openSse();
  }

  /** Reopens at most once per tick, and only when the wanted symbols or rate changed. */
  private scheduleSseReopen(): Promise<void> {
    return (this.reopenTick ??= new Promise<void>((resolve) =>
      setTimeout(() => {
        this.reopenTick = undefined;
        const symbols = [...this.wanted];
        if (this.streamKey !== symbols.join(',') + '|' + this.streamRate(symbols)) this.reopenSse();
        resolve();
      }, 0),
    ));
  }

  /** Resolves when a stream carries these symbols (or the server refused them), like a WebSocket ack. */
  private sseRequest(list: string[]): Promise<SubscribeResult> {
    return new Promise((resolve, reject) => {
      const w: SseWaiter = {
        list,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.sseWaiters = this.sseWaiters.filter((x) => x !== w);
          reject(new EdgeClientError('TIMEOUT', `no stream for ${list.join(',')} within ${this.opts.requestTimeout} ms`));
        }, this.opts.requestTimeout),
      };
      this.sseWaiters.push(w);
      this.settleSseWaiters();
      if (this.sseWaiters.includes(w)) void this.scheduleSseReopen();
    });
  }

  private settleSseWaiters(): void {
    this.sseWaiters = this.sseWaiters.filter((w) => {
      const done = w.list.every((s) => this.streamSymbols.has(s) || this.sseErrors.has(s) || !this.wanted.has(s));
      if (done) {
        clearTimeout(w.timer);
        w.resolve({
          subscribed: w.list.filter((s) => this.streamSymbols.has(s)),
          errors: w.list.flatMap((s) => this.sseErrors.get(s) ?? []),
        });
      }
      return !done;
    });
  }

  /** One stream has one `maxRate`: the least restrictive wanted (none when any symbol asked for none). */
  private streamRate(symbols: string[]): number | undefined {
    let rate = 0;
    for (const s of symbols) {
      const r = this.rates.get(s);
      if (r === undefined) return undefined;
      rate = Math.max(rate, r);
    }
    return rate || undefined;
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
    this.rates.delete(symbol);
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

function subscribeMessage(symbols: string[], maxRate: number | undefined): ClientMessage & { id: number } {
  return maxRate === undefined ? { type: 'subscribe', id: 0, symbols } : { type: 'subscribe', id: 0, symbols, maxRate };
}

/** The SSE stream URL beside a WebSocket URL: ws→http, wss→https, path `/market-data/stream`, no query. */
export function sseUrlFor(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '/market-data/stream';
  u.search = u.hash = '';
  return u.toString();
}

/** A 1001 reason such as `restart; reconnect in 5s` sets the minimum delay before reconnecting. */
function hintedDelay(code: number, reason: string): number {
  if (code !== 1001) return 0;
  const m = /reconnect in (\d+(?:\.\d+)?)\s*(ms|s)\b/.exec(reason);
  if (!m) return 0;
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}
