// A tiny scripted server on ws's WebSocketServer (JSON subprotocol) for close-code, heartbeat and token tests.
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { AddressInfo } from 'node:net';

export interface FakeConnection {
  socket: ServerSocket;
  url: string;
  protocol: string;
  received: Array<Record<string, unknown>>;
}

export interface FakeServer {
  url: string;
  connections: FakeConnection[];
  close(): Promise<void>;
}

export function connectedMessage(heartbeatInterval = 15000): string {
  return JSON.stringify({
    type: 'connected',
    clientId: 'c-fake',
    serverTime: 1700000000000000000,
    heartbeatInterval,
    limits: { maxSubscriptions: 500, maxSymbolsPerRequest: 100, maxMessageBytes: 16384, maxMessagesPerSecond: 20 },
  }).replace('1700000000000000000', '1700000000000000001');
}

/** `onConnection` scripts the server side; by default it sends `connected` and acks every subscribe. */
export async function startFake(onConnection?: (c: FakeConnection, index: number) => void): Promise<FakeServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const server: FakeServer = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/market-data`,
    connections: [],
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
  wss.on('connection', (socket, req) => {
    const c: FakeConnection = { socket, url: req.url ?? '', protocol: socket.protocol, received: [] };
    const index = server.connections.push(c) - 1;
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      c.received.push(msg);
      if (!onConnection && msg.type === 'subscribe') {
        socket.send(JSON.stringify({ type: 'ack', id: msg.id, subscribed: msg.symbols, errors: [] }));
      }
    });
    if (onConnection) onConnection(c, index);
    else socket.send(connectedMessage());
  });
  return server;
}

/** A JWT-shaped token (unsigned) whose payload carries `exp`. */
export function fakeJwt(expSeconds: number, tag: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none' })}.${b64({ exp: expSeconds, sub: tag })}.sig`;
}
