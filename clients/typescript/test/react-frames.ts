// The render check shared by react.test.ts (WebSocket) and react-sse.test.ts (the SSE fallback): useMarketData
// rendered by React (react-dom in happy-dom, @testing-library/react) against the real Edge binary in demo mode at a
// high update rate. The test owns the animation frames (requestAnimationFrame is replaced by a queue it runs itself),
// so "at most one re-render per frame" is checked exactly: between two frames hundreds of prices arrive and nothing
// renders; each frame renders once, showing the latest price of every symbol. Import it first: it sets up the DOM.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

// Streams are read with Node's fetch (the npm EventSource and the SDK's liveness wrapper use it), not happy-dom's.
const nodeGlobals = ['fetch', 'Response', 'Request', 'Headers', 'TransformStream', 'AbortController', 'AbortSignal'];
const saved = nodeGlobals.map((n) => (globalThis as Record<string, unknown>)[n]);
GlobalRegistrator.register({ url: 'http://localhost/' });
nodeGlobals.forEach((n, i) => ((globalThis as Record<string, unknown>)[n] = saved[i]));
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const frames: FrameRequestCallback[] = [];
globalThis.requestAnimationFrame = (cb: FrameRequestCallback) => frames.push(cb);
/** Runs the callbacks queued for the next frame; returns how many there were. */
function runFrame(): number {
  const due = frames.splice(0);
  for (const cb of due) cb(performance.now());
  return due.length;
}

// Loaded after the DOM globals exist.
const { act, createElement } = await import('react');
const { render } = await import('@testing-library/react');
const { MarketDataClient } = await import('../src/index.ts');
const { useMarketData } = await import('../src/react.ts');
const { startEdge, waitFor } = await import('./edge.ts');
type Client = InstanceType<typeof MarketDataClient>;
type ClientOptions = ConstructorParameters<typeof MarketDataClient>[0];
type Price = import('../src/types.ts').Price;

const symbols = ['EUR/USD', 'BTC/USD', 'AAPL', 'XAU/USD'];
let renders = 0;

function Quotes({ client }: { client: Client }) {
  const prices = useMarketData(client, symbols);
  renders++;
  return createElement(
    'ul',
    null,
    symbols.map((s) => createElement('li', { key: s, 'data-symbol': s }, prices[s] ? String(prices[s]!.bid.price) : '-')),
  );
}

let cleanup: (() => Promise<void>) | undefined;
after(async () => {
  await cleanup?.();
  await GlobalRegistrator.unregister();
});

/**
 * Starts Edge with `edgeArgs` (on top of 4000 demo updates/s), connects a client with `options` (url and token are
 * added), renders the quotes and checks one render per frame over five bursts, then nothing after unmount.
 * `afterRender` runs once the view is mounted, before the first check (e.g. to check the transport).
 */
export async function checkOneRenderPerFrame(
  edgeArgs: string[],
  options: Omit<ClientOptions, 'url' | 'token'>,
  afterRender?: (client: Client) => Promise<void>,
): Promise<void> {
  const edge = await startEdge(0, 30000, ['--Demo:UpdatesPerSecond', '4000', ...edgeArgs]);
  const client = new MarketDataClient({ url: edge.url, token: edge.token, ...options });
  cleanup = async () => {
    client.disconnect();
    await edge.stop();
  };
  const last: Record<string, Price> = {};
  let delivered = 0;
  client.on('price', (p) => {
    last[p.symbol] = p;
    delivered++;
  });

  const view = render(createElement(Quotes, { client }));
  await afterRender?.(client);
  const shown = () =>
    Object.fromEntries(symbols.map((s) => [s, view.container.querySelector(`li[data-symbol="${s}"]`)!.textContent]));
  const base = renders;
  assert.deepEqual(Object.values(shown()), ['-', '-', '-', '-']);

  const seen = new Set<string>();
  for (let cycle = 0; cycle < 5; cycle++) {
    const before = delivered;
    await waitFor(() => delivered >= before + 100 && symbols.every((s) => last[s]), 20000, `a burst of prices (cycle ${cycle})`);
    // Hundreds of prices since the last frame: one frame requested, no render yet.
    assert.equal(frames.length, 1, 'one pending frame for the whole burst');
    assert.equal(renders, base + cycle, 'no render between frames');

    act(() => {
      runFrame();
    });
    assert.equal(renders, base + cycle + 1, 'exactly one render for the frame');
    const now = shown();
    // The frame shows the latest price of every symbol (nothing arrives while act runs synchronously).
    assert.deepEqual(now, Object.fromEntries(symbols.map((s) => [s, String(last[s].bid.price)])));
    seen.add(JSON.stringify(now));
  }
  assert.ok(seen.size >= 2, 'prices changed between frames');

  // Unmounted: the hook's callback is removed and a late frame renders nothing.
  const rendersBefore = renders;
  view.unmount();
  const after = delivered;
  await waitFor(() => delivered >= after + 50, 20000, 'prices after unmount');
  act(() => {
    runFrame();
  });
  assert.equal(renders, rendersBefore);
  assert.equal(frames.length, 0);
}
