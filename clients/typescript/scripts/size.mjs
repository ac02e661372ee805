// Bundles the main entry (with @msgpack/msgpack, minified, ESM) and prints raw and gzipped sizes.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

for (const [name, entry, external] of [
  ['edge-client', 'src/index.ts', []],
  ['edge-client/react', 'src/react.ts', ['react', './client.js']],
]) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    external,
  });
  const bytes = out.outputFiles[0].contents;
  console.log(`${name}: ${bytes.length} B minified, ${gzipSync(bytes, { level: 9 }).length} B gzipped`);
}
