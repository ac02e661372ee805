// useMarketData over the SSE fallback, unchanged: the render check of react.test.ts (react-frames.ts) with Edge's
// WebSocket endpoint moved (`--WebSocket:Path /elsewhere`) so the client falls back to Server-Sent Events.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { checkOneRenderPerFrame } from './react-frames.ts';

const { default: WebSocket } = await import('ws');
const { EventSource } = await import('eventsource');
const { waitFor } = await import('./edge.ts');

it('useMarketData over SSE re-renders with live prices, at most once per animation frame under a burst', { timeout: 60000 }, async () => {
  await checkOneRenderPerFrame(
    ['--WebSocket:Path', '/elsewhere'],
    { WebSocket: WebSocket as never, sseFallback: true, EventSource: EventSource as never },
    async (client) => {
      await waitFor(() => client.isConnected(), 20000, 'connected');
      assert.equal(client.transport, 'sse');
    },
  );
});
