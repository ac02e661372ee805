// useMarketData over WebSocket: one render per animation frame under a burst of live prices (react-frames.ts).
import { it } from 'node:test';
import { checkOneRenderPerFrame } from './react-frames.ts';

const { default: WebSocket } = await import('ws');

it('useMarketData re-renders with live prices, at most once per animation frame under a burst', { timeout: 60000 }, async () => {
  await checkOneRenderPerFrame([], { WebSocket: WebSocket as never });
});
