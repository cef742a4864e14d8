import { spawn } from 'node:child_process';

/** A compiled service started with `node`, as the container runs it. */
export interface NodeProcess {
  url: string;
  output: () => string;
  /** Sends the signal and resolves once the process has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node <script>` in `cwd` with exactly `env` (plus PATH) and waits for the service's
 * "ready at <url>" log line. Fails with everything the process printed if it exits first.
 */
export function startNodeProcess(cwd: string, script: string, env: Record<string, string>, timeoutMs = 30_000): Promise<NodeProcess> {
  const child = spawn(process.execPath, [script], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let settled = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no "ready at" line within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${script}: ${why}\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready at (http:\/\/\S+?\/graphql)/.exec(output);
      if (settled || !ready) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        url: ready[1]!,
        output: () => output,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    void exited.then(({ code, signal }) => fail(`exited (code ${code}, signal ${signal}) before it was ready`));
  });
}
