// The SDK as one ESM file for Edge's demo page (src/Server/Demo/Page/edge-client.js, embedded in the binary).
// Shared by build-demo-bundle.mjs (writes it) and test/demo-bundle.test.ts (fails when the committed file is stale).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const demoBundlePath = fileURLToPath(new URL('../../../src/Server/Demo/Page/edge-client.js', import.meta.url));

const banner =
  '// edge-client for the demo page: generated from clients/typescript/src by\n' +
  '// clients/typescript/scripts/build-demo-bundle.mjs (npm run build:demo). Do not edit.';

/** Builds the bundle in memory and returns its text. */
export async function buildDemoBundle() {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    legalComments: 'eof',
    banner: { js: banner },
    write: false,
  });
  return out.outputFiles[0].text;
}
