// React binding, a separate entry point (`edge-client/react`) so non-React users never load React.
import { useEffect, useState } from 'react';
import { FrameBatcher } from './batch.js';
import type { MarketDataClient } from './client.js';
import type { Price } from './types.js';

export { FrameBatcher } from './batch.js';

/**
 * Subscribes `client` to `symbols` and returns the latest price per symbol, re-rendering at most once
 * per animation frame (requestAnimationFrame, else a ~16 ms timer). On unmount or when the symbol list
 * changes the hook removes its callback; the subscription itself stays (other users may share it),
 * call client.unsubscribe to end it.
 */
export function useMarketData(client: MarketDataClient, symbols: readonly string[]): Record<string, Price | undefined> {
  const [prices, setPrices] = useState<Record<string, Price | undefined>>({});
  const key = symbols.join('\u0000');
  useEffect(() => {
    const list = key ? key.split('\u0000') : [];
    if (list.length === 0) return;
    const batcher = new FrameBatcher((latest) => setPrices(latest));
    const onPrice = (p: Price) => batcher.push(p);
    client.subscribe(list, onPrice).catch(() => {
      /* reported through client.on('error'); the subscription is retried on reconnect */
    });
    return () => {
      batcher.stop();
      for (const s of list) client.removeCallback(s, onPrice);
    };
  }, [client, key]);
  return prices;
}
