// Regenerates src/Server/Demo/Page/edge-client.js from the SDK sources; `--check` only reports whether it is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { buildDemoBundle, demoBundlePath } from './demo-bundle.mjs';

const text = await buildDemoBundle();
const current = await readFile(demoBundlePath, 'utf8').catch(() => '');
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${demoBundlePath} is stale: run node scripts/build-demo-bundle.mjs in clients/typescript`);
    process.exit(1);
  }
  console.log(`${demoBundlePath} is up to date`);
} else {
  if (current !== text) await writeFile(demoBundlePath, text);
  const bytes = Buffer.from(text);
  console.log(`${demoBundlePath}: ${bytes.length} B, ${gzipSync(bytes, { level: 9 }).length} B gzipped${current === text ? ' (unchanged)' : ''}`);
}
