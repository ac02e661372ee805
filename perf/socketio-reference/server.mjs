// socketio-reference: the original stack edge-perf measures Edge's socket.io transport against (issue 17). A socket.io 4
// server on Node playing the original NestJS gateway's hot path: namespace /market-data, the token from the CONNECT's
// auth (or the ?token= query), `subscribe` {symbols} answered through its ack with {subscribed, errors}, one room per
// symbol, and for every price nsp.to(symbol).emit('price', {...}) in the original shape (plus Edge's `sequence`), the
// shape Edge's socket.io transport sends (docs/protocol.md, "socket.io compatibility"). WebSocket transport only.
//
// Prices arrive on the same plain-UDP feed as perf/reference-server: a datagram holds one or more records, each a
// uint16 little-endian length then that many bytes of Edge's binary ingest message (docs/protocol.md, "Ingest
// message"), decoded and checked as reference_server.c does.
//
// Not the gateway's: no JWT validation (any non-empty token is accepted: the reference measures the transport, not
// auth), no tenants, entitlements, rate limits, snapshots or heartbeats. GET /metrics answers Edge's family names for
// what it counts, so edge-perf reads it like the other servers.
//
// Usage: node server.mjs [--bind 127.0.0.1] [--port 0] [--udp-port 0]; prints
// "socketio-reference listening tcp A:P udp A:U" on stdout once both are bound.
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
import { Server } from 'socket.io';

const options = { bind: '127.0.0.1', port: 0, udpPort: 0 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const value = args[i + 1];
  if (value === undefined) usage();
  if (args[i] === '--bind') options.bind = value;
  else if (args[i] === '--port') options.port = Number(value);
  else if (args[i] === '--udp-port') options.udpPort = Number(value);
  else usage();
}

function usage() {
  process.stderr.write('usage: node server.mjs [--bind 127.0.0.1] [--port 0] [--udp-port 0]\n');
  process.exit(2);
}

const SchemaId = 0xed;
const MaxSymbol = 32;
const MaxSource = 16;
const NsPerMs = 1000000n;

const stats = { ingest: 0, rejected: 0, deliveries: 0, sessions: 0, subscriptions: 0 };
const symbols = new Set();

const http = createServer((request, response) => {
  // socket.io answers its own path first; everything else lands here.
  if (request.method === 'GET' && request.url === '/metrics') {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(metrics());
  } else if (request.method === 'GET' && request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
  } else {
    response.writeHead(404);
    response.end();
  }
});

// The gateway's socket.io settings that matter here: WebSocket only, no per-message deflate (socket.io 4's default).
const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
const nsp = io.of('/market-data');

nsp.use((socket, next) => {
  const token = socket.handshake.auth?.token ?? socket.handshake.query?.token;
  if (typeof token === 'string' && token.length > 0) {
    next();
  } else {
    const error = new Error('Missing token');
    error.data = { code: 'TOKEN_MISSING' };
    next(error);
  }
});

nsp.on('connection', (socket) => {
  stats.sessions++;
  const joined = new Set();
  socket.emit('connected', { clientId: socket.id, timestamp: Date.now(), heartbeatInterval: 30000 });
  socket.on('subscribe', (data, ack) => {
    const list = typeof data?.symbols === 'string' ? [data.symbols] : Array.isArray(data?.symbols) ? data.symbols : [];
    const subscribed = [];
    const errors = [];
    for (const symbol of list) {
      if (typeof symbol !== 'string' || symbol.length === 0 || symbol.length > MaxSymbol) {
        errors.push({ symbol, code: 'INVALID_SYMBOL', message: 'Invalid symbol' });
        continue;
      }

      if (!joined.has(symbol)) {
        joined.add(symbol);
        stats.subscriptions++;
      }

      socket.join(symbol);
      subscribed.push(symbol);
    }

    if (typeof ack === 'function') ack({ subscribed, errors });
  });
  socket.on('unsubscribe', (data, ack) => {
    const list = typeof data?.symbols === 'string' ? [data.symbols] : Array.isArray(data?.symbols) ? data.symbols : [];
    const unsubscribed = [];
    for (const symbol of list) {
      if (joined.delete(symbol)) {
        stats.subscriptions--;
        socket.leave(symbol);
        unsubscribed.push(symbol);
      }
    }

    if (typeof ack === 'function') ack({ unsubscribed });
  });
  socket.on('disconnect', () => {
    stats.sessions--;
    stats.subscriptions -= joined.size;
  });
});

// One ingest message (reference_server.c's on_ingest): header, 48-byte block, three length-prefixed names.
function onIngest(m, start, n) {
  if (n < 8) return void stats.rejected++;
  const block = m.readUInt16LE(start);
  const template = m.readUInt16LE(start + 2);
  const schema = m.readUInt16LE(start + 4);
  const version = m.readUInt16LE(start + 6);
  if (schema !== SchemaId || template !== 1 || version === 0 || block < 48 || n < 8 + block + 3) return void stats.rejected++;
  const b = start + 8;
  const timestampNs = m.readBigInt64LE(b);
  const sequence = m.readBigUInt64LE(b + 8);
  const bid = m.readDoubleLE(b + 16);
  const bidSize = m.readDoubleLE(b + 24);
  const ask = m.readDoubleLE(b + 32);
  const askSize = m.readDoubleLE(b + 40);
  let at = 8 + block;
  const names = [];
  for (let i = 0; i < 3; i++) {
    if (at >= n) return void stats.rejected++;
    const length = m[start + at];
    const from = start + at + 1;
    at += 1 + length;
    if (at > n || length === 0 || length > (i === 0 ? MaxSymbol : MaxSource)) return void stats.rejected++;
    names.push(m.toString('latin1', from, from + length));
  }

  if (version === 1 && at !== n) return void stats.rejected++;
  const mid = (bid + ask) / 2;
  const spread = ask - bid;
  const spreadBps = mid === 0 ? 0 : spread / mid * 10000;
  if (!Number.isFinite(bid) || !Number.isFinite(bidSize) || !Number.isFinite(ask) || !Number.isFinite(askSize)
    || !Number.isFinite(mid) || !Number.isFinite(spread) || !Number.isFinite(spreadBps) || bidSize < 0 || askSize < 0) {
    return void stats.rejected++;
  }

  const symbol = names[0];
  symbols.add(symbol);
  stats.ingest++;
  const room = nsp.adapter.rooms.get(symbol);
  if (room === undefined) return;
  stats.deliveries += room.size;
  // The gateway's emit: socket.io encodes the packet once per broadcast and writes it to each socket in the room.
  nsp.to(symbol).emit('price', {
    symbol,
    bestBid: { price: bid, size: bidSize, source: names[1] },
    bestAsk: { price: ask, size: askSize, source: names[2] },
    midPrice: mid,
    spread,
    spreadBps,
    timestamp: Number(timestampNs / NsPerMs),
    sequence: Number(sequence),
  });
}

function metrics() {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return `edge_ingest_messages_total ${stats.ingest}\nedge_ingest_rejected_total ${stats.rejected}\n`
    + `edge_fanout_deliveries_total ${stats.deliveries}\nedge_sessions ${stats.sessions}\n`
    + `edge_subscriptions ${stats.subscriptions}\nedge_symbols ${symbols.size}\n`
    + `process_resident_memory_bytes ${memory.rss}\nprocess_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}\n`
    + `nodejs_heap_used_bytes ${memory.heapUsed}\n`;
}

const udp = createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
udp.on('message', (datagram) => {
  const n = datagram.length;
  let at = 0;
  while (at + 2 <= n) {
    const length = datagram.readUInt16LE(at);
    if (at + 2 + length > n) {
      stats.rejected++;
      break;
    }

    onIngest(datagram, at + 2, length);
    at += 2 + length;
  }
});

udp.bind(options.udpPort, options.bind, () => {
  http.listen(options.port, options.bind, () => {
    const tcp = http.address();
    const u = udp.address();
    process.stdout.write(`socketio-reference listening tcp ${tcp.address}:${tcp.port} udp ${u.address}:${u.port}\n`);
  });
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
