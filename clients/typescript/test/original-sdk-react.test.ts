// The original gateway SDK's React hook (test/original-sdk: a stand-in written as that SDK was, never adapted to Edge)
// rendered against the real Edge binary through its socket.io endpoint, with the same renderer as react.test.ts
// (react-dom in happy-dom, @testing-library/react). What the hook shows is checked against the events it received,
// and what Edge holds (sessions, subscriptions, commands) is read from Edge's own /metrics.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

// Edge's /metrics is read with Node's fetch, not happy-dom's (which applies browser CORS rules).
const nodeFetch = globalThis.fetch;
GlobalRegistrator.register({ url: 'http://localhost/' });
// Prices arrive from the network, outside act(): React schedules those renders itself and the test waits for them.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

const { createElement } = await import('react');
const { render } = await import('@testing-library/react');
const { useMarketData } = await import('./original-sdk/use-market-data.ts');
const { startEdge, waitFor } = await import('./edge.ts');
type EdgeProcess = import('./edge.ts').EdgeProcess;
type PriceUpdate = import('./original-sdk/market-data-client.ts').PriceUpdate;
type SnapshotMessage = import('./original-sdk/market-data-client.ts').SnapshotMessage;
type UseMarketDataResult = import('./original-sdk/use-market-data.ts').UseMarketDataResult;
/** Edge adds its per-symbol sequence to the original shape. */
type EdgePrice = PriceUpdate & { sequence: number };

interface Received {
  kind: 'snapshot' | 'price';
  price: EdgePrice;
}

let latest: UseMarketDataResult | undefined;

function Quotes(props: { symbols: string[]; url: string; token: string; log?: Received[] }) {
  const log = props.log;
  const result = useMarketData(props.symbols, {
    url: props.url,
    token: props.token,
    onPrice: (p) => log?.push({ kind: 'price', price: p as EdgePrice }),
    onSnapshot: (s: SnapshotMessage) => {
      for (const p of s.prices) log?.push({ kind: 'snapshot', price: p as EdgePrice });
    },
  });
  latest = result;
  return createElement(
    'div',
    null,
    createElement('p', { 'data-state': '' }, result.connectionState),
    createElement('p', { 'data-error': '' }, result.error?.code ?? ''),
    createElement(
      'ul',
      null,
      props.symbols.map((s) => createElement('li', { key: s, 'data-symbol': s }, result.prices[s] ? String(result.prices[s].bestBid.price) : '-')),
    ),
  );
}

async function metrics(edge: EdgeProcess): Promise<string> {
  const response = await nodeFetch(`http://127.0.0.1:${edge.port}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

/** The value of the series `name` (with exactly `labels`, e.g. `{type="unsubscribe"}`), 0 when absent. */
async function metric(edge: EdgeProcess, name: string, labels = ''): Promise<number> {
  const line = (await metrics(edge)).split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(name.length + labels.length + 1)) : 0;
}

/** Waits until the series `name` (with `labels`) satisfies `ok`. */
async function waitForMetric(edge: EdgeProcess, name: string, labels: string, ok: (value: number) => boolean): Promise<void> {
  let value = NaN;
  const start = Date.now();
  while (!ok((value = await metric(edge, name, labels)))) {
    if (Date.now() - start > 20000) assert.fail(`${name}${labels} stayed at ${value}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The checks the original SDK's consumers rely on: its field names, numbers, ms timestamps. */
function assertOriginalPrice(p: EdgePrice, symbol: string): void {
  assert.equal(p.symbol, symbol);
  for (const level of [p.bestBid, p.bestAsk]) {
    assert.equal(typeof level.price, 'number');
    // >= 0: the demo feed rounds small sizes (BTC/USD's typical size is 2) and can send 0.
    assert.ok(Number.isFinite(level.size) && level.size >= 0, `${symbol} size ${level.size}`);
    assert.equal(typeof level.source, 'string');
    assert.ok(level.source.length > 0);
  }
  assert.ok(p.bestAsk.price > p.bestBid.price, `${symbol}: ask ${p.bestAsk.price} above bid ${p.bestBid.price}`);
  const tolerance = 1e-9 * p.bestAsk.price;
  assert.ok(Math.abs(p.midPrice - (p.bestBid.price + p.bestAsk.price) / 2) <= tolerance, `${symbol} midPrice`);
  assert.ok(Math.abs(p.spread - (p.bestAsk.price - p.bestBid.price)) <= tolerance, `${symbol} spread`);
  assert.ok(Math.abs(p.spreadBps - (p.spread / p.midPrice) * 10_000) <= 1e-6, `${symbol} spreadBps`);
  assert.ok(Number.isInteger(p.timestamp), 'timestamp is whole milliseconds');
  assert.ok(Math.abs(p.timestamp - Date.now()) < 600_000, `timestamp ${p.timestamp} is ms since the epoch`);
  assert.ok(Number.isInteger(p.sequence) && p.sequence > 0);
}

/**
 * A symbol's events: a snapshot first, then prices in increasing sequence, all in the original shape. `fromSnapshot`:
 * the symbol was subscribed already, so prices sent before Edge read the resubscription may precede the snapshot.
 */
function assertSnapshotThenPrices(log: Received[], symbol: string, minPrices: number, fromSnapshot = false): EdgePrice {
  let mine = log.filter((r) => r.price.symbol === symbol);
  if (fromSnapshot) mine = mine.slice(Math.max(0, mine.findIndex((r) => r.kind === 'snapshot')));
  assert.equal(mine[0]?.kind, 'snapshot', `${symbol}: the snapshot comes first`);
  assert.equal(mine.filter((r) => r.kind === 'snapshot').length, 1, `${symbol}: one snapshot`);
  assert.ok(mine.length > minPrices, `${symbol}: ${mine.length - 1} prices after the snapshot`);
  for (let i = 0; i < mine.length; i++) {
    assertOriginalPrice(mine[i].price, symbol);
    if (i > 0) assert.ok(mine[i].price.sequence > mine[i - 1].price.sequence, `${symbol}: sequences grow`);
  }
  return mine[mine.length - 1].price;
}

/** Prices received for `symbol` after its snapshot. */
function pricesAfterSnapshot(log: Received[], symbol: string): number {
  const mine = log.filter((r) => r.price.symbol === symbol);
  const snapshot = mine.findIndex((r) => r.kind === 'snapshot');
  return snapshot < 0 ? 0 : mine.length - snapshot - 1;
}

function shown(view: ReturnType<typeof render>, symbol: string): string | null | undefined {
  return view.container.querySelector(`li[data-symbol="${symbol}"]`)?.textContent;
}

let edge: EdgeProcess;
before(async () => {
  edge = await startEdge();
  // Three seconds of the demo feed (200 updates/s over a few dozen symbols): every symbol the hook subscribes has a
  // price, so each subscription's snapshot holds one.
  await waitForMetric(edge, 'edge_ingest_messages_total', '', (n) => n >= 600);
});
after(async () => {
  await edge?.stop();
  await GlobalRegistrator.unregister();
});

describe('the original SDK hook useMarketData against Edge', () => {
  const log: Received[] = [];
  let view: ReturnType<typeof render>;
  const props = () => ({ url: `http://127.0.0.1:${edge.port}`, token: edge.token, log });

  it('connects, gets the snapshot first, then prices in the original shape, and shows the latest', { timeout: 60000 }, async () => {
    view = render(createElement(Quotes, { ...props(), symbols: ['EUR/USD', 'BTC/USD'] }));
    await waitFor(() => latest?.connectionState === 'connected', 20000, 'connected');
    await waitFor(() => latest!.subscribed.length === 2, 20000, 'the subscribe ack');
    assert.deepEqual([...latest!.subscribed].sort(), ['BTC/USD', 'EUR/USD']);
    assert.equal(latest!.error, null);
    const count = (symbol: string) => pricesAfterSnapshot(log, symbol);
    await waitFor(() => count('EUR/USD') >= 3 && count('BTC/USD') >= 3, 20000, 'three prices per symbol');
    const last = { 'EUR/USD': assertSnapshotThenPrices(log, 'EUR/USD', 3), 'BTC/USD': assertSnapshotThenPrices(log, 'BTC/USD', 3) };
    // The hook holds, and the page shows, the newest price received for each symbol (prices keep coming: wait until
    // a render has caught up with the log).
    const newest = (s: string) => log.filter((r) => r.price.symbol === s).at(-1)!.price;
    await waitFor(
      () => ['EUR/USD', 'BTC/USD'].every((s) => latest!.prices[s] === newest(s) && shown(view, s) === String(newest(s).bestBid.price)),
      20000,
      'the view showing the newest prices',
    );
    assert.ok(newest('EUR/USD').sequence >= last['EUR/USD'].sequence);
    assert.equal(view.container.querySelector('[data-state]')!.textContent, 'connected');
    await waitForMetric(edge, 'edge_sessions', '', (n) => n === 1);
    await waitForMetric(edge, 'edge_subscriptions', '', (n) => n === 2);
  });

  it('changing the symbol list unsubscribes the old list and subscribes the new one, both acknowledged', { timeout: 60000 }, async () => {
    const unsubscribesBefore = await metric(edge, 'edge_commands_total', '{type="unsubscribe"}');
    const subscribesBefore = await metric(edge, 'edge_commands_total', '{type="subscribe"}');
    log.length = 0;
    view.rerender(createElement(Quotes, { ...props(), symbols: ['EUR/USD', 'ETH/USD'] }));
    // The unsubscribe ack removes EUR/USD and BTC/USD from `subscribed`, the subscribe ack adds EUR/USD and ETH/USD.
    await waitFor(() => latest!.subscribed.includes('ETH/USD'), 20000, 'the new subscribe ack');
    assert.deepEqual([...latest!.subscribed].sort(), ['ETH/USD', 'EUR/USD'], 'BTC/USD left by its unsubscribe ack');
    assert.equal(await metric(edge, 'edge_commands_total', '{type="unsubscribe"}'), unsubscribesBefore + 1);
    assert.equal(await metric(edge, 'edge_commands_total', '{type="subscribe"}'), subscribesBefore + 1);
    await waitForMetric(edge, 'edge_subscriptions', '', (n) => n === 2);
    const count = (symbol: string) => pricesAfterSnapshot(log, symbol);
    await waitFor(() => count('ETH/USD') >= 3 && count('EUR/USD') >= 3, 20000, 'prices for the new list');
    assertSnapshotThenPrices(log, 'ETH/USD', 3);
    assertSnapshotThenPrices(log, 'EUR/USD', 3, true);
    assert.equal(latest!.prices['BTC/USD'], undefined);
    assert.equal(shown(view, 'BTC/USD'), undefined, 'BTC/USD is no longer rendered');
    await waitFor(() => shown(view, 'ETH/USD') !== '-', 20000, 'ETH/USD rendered');
  });

  it("unmounting unsubscribes and disconnects: Edge's session and subscriptions end", { timeout: 60000 }, async () => {
    const unsubscribesBefore = await metric(edge, 'edge_commands_total', '{type="unsubscribe"}');
    assert.equal(await metric(edge, 'edge_socketio_connections'), 1);
    view.unmount();
    await waitForMetric(edge, 'edge_socketio_connections', '', (n) => n === 0);
    await waitForMetric(edge, 'edge_sessions', '', (n) => n === 0);
    await waitForMetric(edge, 'edge_subscriptions', '', (n) => n === 0);
    assert.equal(await metric(edge, 'edge_commands_total', '{type="unsubscribe"}'), unsubscribesBefore + 1, 'the unsubscribe reached Edge');
  });
});

describe('the original SDK hook with a refused token', () => {
  it("surfaces the connect_error code in the hook's error state", { timeout: 60000 }, async () => {
    const refusedBefore = await metric(edge, 'edge_socketio_connect_errors_total');
    latest = undefined;
    const view = render(createElement(Quotes, { url: `http://127.0.0.1:${edge.port}`, token: 'invalid-token', symbols: ['EUR/USD'] }));
    try {
      await waitFor(() => latest?.error != null, 20000, 'the error state');
      assert.equal(latest!.error!.code, 'TOKEN_MALFORMED');
      assert.match(latest!.error!.message, /JWT/);
      assert.equal(latest!.connectionState, 'error');
      assert.equal(latest!.isConnected, false);
      assert.deepEqual(latest!.subscribed, []);
      await waitFor(() => view.container.querySelector('[data-error]')!.textContent === 'TOKEN_MALFORMED', 20000, 'the error rendered');
      assert.equal(await metric(edge, 'edge_socketio_connect_errors_total'), refusedBefore + 1);
      assert.equal(await metric(edge, 'edge_sessions'), 0);
    } finally {
      view.unmount();
    }
    await waitForMetric(edge, 'edge_socketio_connections', '', (n) => n === 0);
  });
});
