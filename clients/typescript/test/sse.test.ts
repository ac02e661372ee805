// A real EventSource (the npm `eventsource` package, WHATWG-compliant) against the real Edge binary in demo mode:
// the SSE stream at /market-data/stream, its snapshot, prices with the per-symbol sequence as event id, reconnection
// with Last-Event-ID, and a refused request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource, type FetchLike } from 'eventsource';
import { startEdge, waitFor, type EdgeProcess } from './edge.ts';

let edge: EdgeProcess;
const sources: EventSource[] = [];

before(async () => {
  // A short retry advice so the reconnection test does not wait the default 3 s.
  // Ingest:Symbols set (an allow-list): a symbol neither listed nor priced is refused, not pending.
  edge = await startEdge(0, 30000, ['--Sse:RetryMilliseconds', '200', '--Ingest:Symbols:0', 'EUR/USD']);
});
after(async () => {
  for (const s of sources) s.close();
  await edge?.stop();
});

function streamUrl(symbols: string[]): string {
  const list = symbols.map(encodeURIComponent).join(',');
  return `http://127.0.0.1:${edge.port}/market-data/stream?symbols=${list}&token=${edge.token}`;
}

function open(url: string, fetch?: FetchLike): EventSource {
  const source = new EventSource(url, fetch ? { fetch } : undefined);
  sources.push(source);
  return source;
}

interface PriceData {
  type: string;
  symbol: string;
  sequence: number;
}

describe('real Edge over SSE with a real EventSource', () => {
  it('gets a snapshot, then prices whose event id is the per-symbol sequence, in order', async () => {
    const source = open(streamUrl(['EUR/USD', 'BTC/USD']));
    const events: string[] = [];
    let snapshot: { type: string; prices: PriceData[] } | undefined;
    const prices: { id: string; data: PriceData }[] = [];
    source.addEventListener('snapshot', (e) => {
      events.push('snapshot');
      snapshot = JSON.parse(e.data);
    });
    source.addEventListener('price', (e) => {
      events.push('price');
      prices.push({ id: e.lastEventId, data: JSON.parse(e.data) });
    });

    await waitFor(() => prices.length >= 10, 15000, '10 prices');
    source.close();
    assert.equal(events[0], 'snapshot', 'the snapshot comes first');
    assert.equal(snapshot!.type, 'snapshot');
    const last = new Map<string, number>();
    for (const p of snapshot!.prices) last.set(p.symbol, p.sequence);
    for (const { id, data } of prices) {
      assert.equal(data.type, 'price');
      assert.ok(data.symbol === 'EUR/USD' || data.symbol === 'BTC/USD', data.symbol);
      assert.equal(id, String(data.sequence), 'the event id is the sequence');
      const prev = last.get(data.symbol) ?? -1;
      assert.ok(data.sequence > prev, `${data.symbol}: ${data.sequence} after ${prev}`);
      last.set(data.symbol, data.sequence);
    }
  });

  it('reconnects with Last-Event-ID after the stream is cut and gets the current snapshot before updates', async () => {
    const sentLastEventIds: (string | undefined)[] = [];
    let connections = 0;
    // The first response body ends after a few prices, like a proxy dropping the stream; EventSource then reconnects.
    const fetch: FetchLike = async (url, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sentLastEventIds.push(headers['Last-Event-ID']);
      const response = await globalThis.fetch(url, init);
      if (connections++ > 0) return response;
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let seen = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          controller.enqueue(value);
          seen += decoder.decode(value, { stream: true }).split('event: price').length - 1;
          if (seen >= 3) {
            controller.close();
            await reader.cancel();
          }
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const source = open(streamUrl(['EUR/USD']), fetch);
    const events: { type: string; id: string }[] = [];
    let opens = 0;
    source.addEventListener('open', () => opens++);
    source.addEventListener('snapshot', (e) => events.push({ type: 'snapshot', id: e.lastEventId }));
    source.addEventListener('price', (e) => events.push({ type: 'price', id: e.lastEventId }));

    // A price after the second snapshot, not a count of prices: one chunk of the first stream can hold many of them.
    const snapshotCount = () => events.filter((e) => e.type === 'snapshot').length;
    await waitFor(() => opens >= 2 && snapshotCount() >= 2 && events[events.length - 1]?.type === 'price', 20000, 'a reconnection, its snapshot and a price after it');
    source.close();
    assert.equal(sentLastEventIds[0], undefined, 'the first request has no Last-Event-ID');
    assert.match(sentLastEventIds[1] ?? '', /^\d+$/, 'the reconnection sends the last price id');
    const snapshots = events.flatMap((e, i) => (e.type === 'snapshot' ? [i] : []));
    assert.equal(snapshots.length, 2, 'one snapshot per connection');
    assert.ok(snapshots[1] > 0 && events[snapshots[1] - 1].type === 'price', 'the second snapshot follows the first stream');
    const afterReconnect = events.slice(snapshots[1] + 1);
    assert.ok(afterReconnect.length > 0 && afterReconnect.every((e) => e.type === 'price'));
  });

  it('fails without reconnecting when the request is refused (an unknown symbol is 400)', async () => {
    const source = open(streamUrl(['NOPE/XYZ']));
    let code: number | undefined;
    source.addEventListener('error', (e) => {
      code = (e as unknown as { code?: number }).code;
    });
    await waitFor(() => source.readyState === EventSource.CLOSED, 15000, 'the EventSource to fail');
    assert.equal(code, 400);
  });
});
