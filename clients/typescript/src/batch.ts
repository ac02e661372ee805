import type { Price } from './types.js';

type Schedule = (fn: () => void) => unknown;

/** requestAnimationFrame where the runtime has it (browsers), else a ~16 ms timer. */
export const defaultSchedule: Schedule = (fn) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => fn()) : setTimeout(fn, 16);

/**
 * Keeps the latest price per symbol and hands the whole set to `flush` at most once per frame:
 * many updates between two frames cost one flush (and so one re-render).
 */
export class FrameBatcher {
  private latest: Record<string, Price> = {};
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly flush: (latest: Record<string, Price>) => void,
    private readonly schedule: Schedule = defaultSchedule,
  ) {}

  push(price: Price): void {
    if (this.stopped) return;
    this.latest[price.symbol] = price;
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (this.stopped) return;
      this.latest = { ...this.latest }; // a new object per flush, so React sees a change
      this.flush(this.latest);
    });
  }

  stop(): void {
    this.stopped = true;
  }
}
