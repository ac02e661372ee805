// End to end in a real browser: Edge (EDGE_BINARY, demo mode) serves its demo page at `/`; headless Chromium
// (Debian's /usr/bin/chromium driven by playwright-core, never a downloaded browser) opens it, sees prices
// appear and change, takes a screenshot, and sees the page reconnect after Edge is restarted on the same port.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startEdge, type EdgeProcess } from './edge.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../..', import.meta.url));
// The closed network: without these Chromium keeps trying to reach Google's services.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WAIT = 20000;

/** Symbol → bid text of every row that has had a price. */
function bids(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#grid tbody tr:not(.waiting)', (trs) =>
    Object.fromEntries(trs.map((tr) => [(tr as HTMLElement).dataset.symbol!, tr.querySelector('td.bid')!.textContent!])),
  );
}

/** Waits until at least `count` rows show a bid different from `before`. */
async function waitForChanges(page: Page, before: Record<string, string>, count: number, what: string): Promise<void> {
  await page
    .waitForFunction(
      ([b, n]) => {
        let changed = 0;
        for (const tr of document.querySelectorAll<HTMLElement>('#grid tbody tr:not(.waiting)')) {
          const now = tr.querySelector('td.bid')!.textContent;
          if (b[tr.dataset.symbol!] !== undefined && b[tr.dataset.symbol!] !== now) changed++;
        }
        return changed >= n;
      },
      [before, count] as const,
      { timeout: WAIT, polling: 100 },
    )
    .catch((e) => {
      throw new Error(`${what}: ${e}`);
    });
}

it('the demo page shows live prices in Chromium and reconnects after Edge restarts', { timeout: 120000, skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM} (scripts/setup installs it)` }, async () => {
  let edge: EdgeProcess | undefined;
  let context: BrowserContext | undefined;
  const profile = await mkdtemp(join(tmpdir(), 'edge-chromium-'));
  const problems: string[] = [];
  try {
    edge = await startEdge();
    const port = edge.port;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1100, height: 860 },
      timeout: 30000,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });

    const response = await page.goto(`http://127.0.0.1:${port}/`, { timeout: WAIT });
    assert.equal(response?.status(), 200);
    assert.match(response!.headers()['content-type'], /^text\/html/);
    await page.waitForSelector('#state[data-state="live"]', { timeout: WAIT });

    // Prices appear: most of the 40 demo rows get a bid, and bid < ask with a positive spread.
    await page.waitForFunction(() => document.querySelectorAll('#grid tbody tr:not(.waiting)').length >= 30, null, { timeout: WAIT });
    const eur = await page.$eval('tr[data-symbol="EUR/USD"]', (tr) =>
      ['bid', 'ask', 'spread'].map((c) => Number(tr.querySelector(`td.${c}`)!.textContent)),
    );
    assert.ok(eur[0] > 0.5 && eur[0] < 2, `EUR/USD bid ${eur[0]}`);
    assert.ok(eur[1] > eur[0], `EUR/USD ask ${eur[1]} above bid ${eur[0]}`);
    assert.ok(eur[2] > 0, `EUR/USD spread ${eur[2]} bps`);

    // ... and change.
    await waitForChanges(page, await bids(page), 10, 'prices changing before the restart');
    const ticks = await page.$$eval('#grid td.up, #grid td.down', (tds) => tds.length);
    assert.ok(ticks > 0, 'up/down tick colouring is applied');

    const screenshotDir = join(root, 'artifacts');
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'demo-page.png'), fullPage: true });
    if (process.env.EDGE_UPDATE_SCREENSHOT === '1') {
      await mkdir(join(root, 'docs', 'images'), { recursive: true });
      await page.screenshot({ path: join(root, 'docs', 'images', 'demo-page.png'), fullPage: true });
    }

    // Edge goes away: the page says so, then comes back by itself when Edge is started again on the same port
    // (with a new development signing key: the page fetches a fresh token from /demo/token).
    await edge.stop();
    await page.waitForSelector('#state:not([data-state="live"])', { timeout: WAIT });
    edge = await startEdge(port);
    await page.waitForSelector('#state[data-state="live"][data-connects="2"]', { timeout: 30000 });
    await waitForChanges(page, await bids(page), 10, 'prices changing after the restart');

    assert.deepEqual(problems, []);
  } finally {
    await context?.close().catch(() => {});
    await edge?.stop();
    await rm(profile, { recursive: true, force: true });
  }
});
