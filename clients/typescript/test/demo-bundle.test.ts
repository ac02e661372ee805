// The demo page's copy of the SDK (src/Server/Demo/Page/edge-client.js, embedded in the Edge binary) must be what
// scripts/build-demo-bundle.mjs builds from the current sources: this fails when someone changes src/ and forgets it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { buildDemoBundle, demoBundlePath } from '../scripts/demo-bundle.mjs';

it('the committed demo-page bundle is up to date with src/ (regenerate: npm run build:demo)', async () => {
  const committed = await readFile(demoBundlePath as string, 'utf8');
  const built = (await buildDemoBundle()) as string;
  assert.ok(committed === built, `${demoBundlePath} is stale: run \`npm run build:demo\` in clients/typescript and commit it`);
  assert.match(built, /export\{[^}]*MarketDataClient/);
});
