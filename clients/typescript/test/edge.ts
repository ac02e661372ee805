// Starts the real Edge binary (EDGE_BINARY) in demo mode on 127.0.0.1 and reads its port and dev token.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface EdgeProcess {
  port: number;
  token: string;
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export const EDGE_BINARY = process.env.EDGE_BINARY;

/**
 * `extraArgs` are more Edge settings, e.g. `['--Demo:UpdatesPerSecond', '5000']`. `waitForToken` false: Edge has keys
 * configured (no development token is printed), and `token` is empty.
 */
export function startEdge(port = 0, timeoutMs = 30000, extraArgs: string[] = [], waitForToken = true): Promise<EdgeProcess> {
  if (!EDGE_BINARY) throw new Error('EDGE_BINARY is not set');
  const proc = spawn(
    EDGE_BINARY,
    ['--port', String(port), '--BindAddress', '127.0.0.1', '--Ingest:Endpoint', '127.0.0.1:0', '--Log:Format', 'text', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(t);
    }
  };
  return new Promise((resolve, reject) => {
    let found = 0;
    let token = '';
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error('Edge did not start in time:\n' + output));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Edge exited early (${code}):\n` + output));
    });
    proc.stderr!.on('data', (d) => (output += d));
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      if (output.length < 20000) output += line + '\n';
      const t = /development token \(12 h, tenant 'demo'\): (\S+)/.exec(line);
      if (t) token = t[1];
      const m = /edge: listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) found = Number(m[1]);
      if (found && (token || !waitForToken)) {
        clearTimeout(timer);
        rl.removeAllListeners('line');
        proc.stdout!.resume();
        resolve({ port: found, token, url: `ws://127.0.0.1:${found}/market-data`, proc, stop });
      }
    });
  });
}

/** Resolves when `cond()` is true; rejects after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 15000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
