// Real Edge: the server process is stopped and started again on the same port; the client reconnects
// and restores its subscriptions without being asked.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { MarketDataClient, type DisconnectedEvent, type WebSocketConstructor } from '../src/index.ts';
import { startEdge, waitFor, type EdgeProcess } from './edge.ts';

let edge: EdgeProcess | undefined;
let client: MarketDataClient | undefined;

after(async () => {
  client?.disconnect();
  await edge?.stop();
});

it('reconnects and resubscribes after the server is restarted on the same port', async () => {
  edge = await startEdge();
  const port = edge.port;
  let token = edge.token;
  client = new MarketDataClient({
    url: edge.url,
    getToken: () => token, // the restarted demo server issues a new development key
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  let connected = 0;
  const disconnects: DisconnectedEvent[] = [];
  client.on('connected', () => connected++);
  client.on('disconnected', (e) => disconnects.push(e));
  let prices = 0;
  await client.subscribe(['AAPL', 'MSFT'], () => prices++);
  await waitFor(() => prices >= 3, 15000, 'prices before the restart');

  await edge.stop(); // SIGTERM: Edge 25f3936 drops the socket (the client sees 1006, not 1001)
  await waitFor(() => disconnects.length === 1, 15000, 'disconnected');
  assert.equal(disconnects[0].willReconnect, true, `close ${disconnects[0].code} ${disconnects[0].reason}`);
  assert.equal(client.isConnected(), false);

  edge = await startEdge(port);
  token = edge.token;
  await waitFor(() => connected === 2, 30000, 'second connected');
  const before = prices;
  await waitFor(() => prices >= before + 3, 15000, 'prices after the restart');
  assert.equal(client.isConnected(), true);
});
