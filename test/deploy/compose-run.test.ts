/**
 * The containers, run for real (docs/containers.md): scripts/compose-run.ts builds the image with
 * podman, brings docker-compose.yml up, places, reads and cancels orders through the gateway,
 * stops and starts it again, and tears it down. Where podman cannot run, this fails with the
 * script's one-line reason; it never skips.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** A cold run (base images built, no layer cache) took 6.6 min alone on 2 cores; room for a loaded CI. */
const RUN_BUDGET_MS = 25 * 60_000;

let run: ChildProcess | undefined;
// On a timeout the run gets SIGTERM, so it takes its containers down before jest moves on.
afterAll(async () => {
  if (!run || run.exitCode !== null) return;
  const closed = new Promise((done) => run!.on('close', done));
  run.kill('SIGTERM');
  await closed;
}, 120_000);

it('builds the image, runs docker-compose.yml on podman, keeps a placed order across stop and up, and tears it down', async () => {
  // Niced, so the image build's npm ci and tsc yield the CPU to the suites running beside it.
  run = spawn('nice', ['-n', '10', process.execPath, '--import', 'tsx', 'scripts/compose-run.ts'], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  run.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  run.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((done) => run!.on('close', done));

  const lines = stdout.split('\n');
  // What CI's log should show: how long the run added (cold or warm), the image size, the request's trail.
  console.log(lines.filter((line) => /^(compose run|image |request |\w+_1 +\|)/.test(line)).join('\n'));
  const failure = lines.find((line) => line.startsWith('compose run failed: '));
  if (exitCode !== 0) throw new Error(`${failure ?? `compose run exited ${exitCode}`}\n${stderr.split('\n').slice(-40).join('\n')}`);
  expect(lines).toContainEqual(expect.stringMatching(/^\[\d+ s\] compose run passed/));
}, RUN_BUDGET_MS);
