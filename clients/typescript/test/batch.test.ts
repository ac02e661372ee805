// The frame batcher behind useMarketData: one flush per frame, the latest price per symbol wins.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameBatcher, type Price } from '../src/index.ts';

const p = (symbol: string, sequence: number) => ({ symbol, sequence }) as Price;

it('flushes at most once per frame with the latest price per symbol', () => {
  const frames: Array<() => void> = [];
  const flushes: Array<Record<string, Price>> = [];
  const b = new FrameBatcher((latest) => flushes.push(latest), (fn) => frames.push(fn));
  for (let i = 1; i <= 100; i++) b.push(p(i % 2 ? 'A' : 'B', i));
  assert.equal(frames.length, 1);
  assert.equal(flushes.length, 0);
  frames.shift()!();
  assert.equal(flushes.length, 1);
  assert.equal(flushes[0].A.sequence, 99);
  assert.equal(flushes[0].B.sequence, 100);
  b.push(p('A', 101));
  frames.shift()!();
  assert.equal(flushes.length, 2);
  assert.notEqual(flushes[1], flushes[0]); // a new object each flush
  assert.equal(flushes[1].A.sequence, 101);
  assert.equal(flushes[1].B.sequence, 100);
  b.stop();
  b.push(p('A', 102));
  assert.equal(frames.length, 0);
});

it('falls back to a timer without requestAnimationFrame', async () => {
  const flushed = await new Promise<Record<string, Price>>((resolve) => {
    const b = new FrameBatcher(resolve);
    b.push(p('A', 1));
  });
  assert.equal(flushed.A.sequence, 1);
});
