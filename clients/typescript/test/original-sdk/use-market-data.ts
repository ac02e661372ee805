// A stand-in for the original gateway SDK's React hook (see market-data-client.ts): the hook a front end on the
// original NestJS + socket.io gateway renders. A TEST FIXTURE: it must NOT be adapted to Edge; fix Edge instead.
import { useEffect, useRef, useState } from 'react';
import {
  MarketDataClient,
  type ConnectionState,
  type MarketDataError,
  type PriceUpdate,
  type SnapshotMessage,
} from './market-data-client.ts';

export interface UseMarketDataOptions {
  url: string;
  token: string;
  /** Called with every price, e.g. to feed a chart (kept in a ref: changing it does not resubscribe). */
  onPrice?: (price: PriceUpdate) => void;
  onSnapshot?: (snapshot: SnapshotMessage) => void;
}

export interface UseMarketDataResult {
  prices: Record<string, PriceUpdate>;
  connectionState: ConnectionState;
  isConnected: boolean;
  error: MarketDataError | null;
  /** The symbols the gateway has acknowledged. */
  subscribed: string[];
}

/**
 * Connects to the gateway on mount, subscribes to `symbols` once connected and whenever the list changes
 * (unsubscribing the previous list), keeps the latest price per symbol, and on unmount unsubscribes and disconnects.
 */
export function useMarketData(symbols: string[], options: UseMarketDataOptions): UseMarketDataResult {
  const { url, token } = options;
  const [client, setClient] = useState<MarketDataClient | null>(null);
  const [prices, setPrices] = useState<Record<string, PriceUpdate>>({});
  const [connectionState, setConnectionState] = useState<ConnectionState>('disconnected');
  const [error, setError] = useState<MarketDataError | null>(null);
  const [subscribed, setSubscribed] = useState<string[]>([]);
  const callbacks = useRef(options);
  callbacks.current = options;
  const symbolsKey = [...symbols].sort().join(',');
  const wanted = useRef<Set<string>>(new Set());

  useEffect(() => {
    const c = new MarketDataClient({ url, token });
    const offs = [
      c.on('state', (state) => setConnectionState(state)),
      c.on('connected', () => setError(null)),
      c.on('error', (e) => setError(e)),
      c.on('price', (price) => {
        if (!wanted.current.has(price.symbol)) return;
        setPrices((prev) => ({ ...prev, [price.symbol]: price }));
        callbacks.current.onPrice?.(price);
      }),
      c.on('snapshot', (snapshot) => {
        setPrices((prev) => {
          const next = { ...prev };
          for (const p of snapshot.prices) if (wanted.current.has(p.symbol)) next[p.symbol] = p;
          return next;
        });
        callbacks.current.onSnapshot?.(snapshot);
      }),
    ];
    setClient(c);
    c.connect();
    return () => {
      for (const off of offs) off();
      // React destroys this effect before the subscription effect below: release the symbols before leaving.
      const held = [...wanted.current];
      if (held.length > 0 && c.isConnected) c.unsubscribe(held).catch(() => undefined);
      c.disconnect();
      setClient(null);
    };
  }, [url, token]);

  const isConnected = connectionState === 'connected';
  useEffect(() => {
    if (!client || !isConnected || !symbolsKey) return;
    const list = symbolsKey.split(',');
    wanted.current = new Set(list);
    client
      .subscribe(list)
      .then((response) => {
        const ok = response.subscribed ?? [];
        setSubscribed((prev) => [...prev.filter((s) => !ok.includes(s)), ...ok]);
        if (response.errors && response.errors.length > 0) {
          setError({ code: response.errors[0].code, message: response.errors[0].message ?? response.errors[0].code });
        }
      })
      .catch((e: Error) => setError({ code: 'SUBSCRIBE_FAILED', message: e.message }));
    return () => {
      wanted.current = new Set();
      setPrices((prev) => {
        const next = { ...prev };
        for (const s of list) delete next[s];
        return next;
      });
      if (!client.isConnected) return;
      client
        .unsubscribe(list)
        .then((response) => {
          const gone = response.unsubscribed ?? [];
          setSubscribed((prev) => prev.filter((s) => !gone.includes(s)));
        })
        .catch(() => {
          /* the connection is going away */
        });
    };
  }, [client, isConnected, symbolsKey]);

  return { prices, connectionState, isConnected, error, subscribed };
}
