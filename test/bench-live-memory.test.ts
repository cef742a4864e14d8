import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { inspectFlag, liveMemory, type Inspectable } from '../scripts/bench/inspector.js';
import { memoryCheck } from '../scripts/bench/soak.js';

// A process that, when told, keeps memory (objects on the heap and a Buffer outside it) or makes
// garbage it does not keep, and says when it is done.
const CHILD = `
const kept = [];
process.on('message', (what) => {
  if (what === 'keep') {
    for (let i = 0; i < 300_000; i += 1) kept.push({ index: i, label: 'kept ' + i });
    kept.push(Buffer.alloc(16 * 2 ** 20, 1));
  } else {
    // Held long enough to outlive the young generation's collections, then let go: garbage
    // in the old generation, which only a full collection frees.
    let dropped = [];
    for (let i = 0; i < 300_000; i += 1) dropped.push({ index: i, label: 'garbage ' + i });
    globalThis.dropped = dropped.length;
    dropped = null;
  }
  process.send('done');
});
process.send('ready');
`;

describe("the soak's live-memory reading (scripts/bench/inspector.ts)", () => {
  let child: ChildProcess;
  let target: Inspectable;

  beforeAll(async () => {
    const { flag, port } = await inspectFlag();
    child = spawn(process.execPath, [flag, '-e', CHILD], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, NODE_OPTIONS: '' } });
    await once(child, 'message');
    target = { pid: child.pid!, inspectPort: port };
  });

  afterAll(async () => {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  });

  const tell = async (what: 'keep' | 'garbage') => {
    child.send(what);
    await once(child, 'message');
  };

  it('opens no inspector until it is asked for a reading', async () => {
    await expect(fetch(`http://127.0.0.1:${target.inspectPort}/json/list`)).rejects.toThrow();
  });

  it('counts what the process keeps, on its heap and outside it, and not the garbage it made', async () => {
    const before = await liveMemory(target);
    await tell('garbage');
    const afterGarbage = await liveMemory(target);
    expect(afterGarbage.heapMiB - before.heapMiB).toBeLessThan(5);
    await tell('keep');
    const afterKeeping = await liveMemory(target);
    // 300,000 small objects with their strings are well over 10 MiB; the Buffer is 16 MiB.
    expect(afterKeeping.heapMiB - afterGarbage.heapMiB).toBeGreaterThan(10);
    expect(afterKeeping.externalMiB - afterGarbage.externalMiB).toBeGreaterThanOrEqual(16);
  });
});

describe("the soak's memory check", () => {
  it('passes resident memory that saws while live memory stays flat, and fails live memory that grows', () => {
    const sawing = memoryCheck({ rssMiB: { gateway: 221 }, liveMiB: { gateway: 48 } }, { rssMiB: { gateway: 326 }, liveMiB: { gateway: 49 } });
    expect(sawing).toMatchObject({ ok: true, detail: 'gateway live 48 → 49 MiB (2.1%)' });
    const leaking = memoryCheck({ rssMiB: { gateway: 221 }, liveMiB: { gateway: 48 } }, { rssMiB: { gateway: 200 }, liveMiB: { gateway: 60 } });
    expect(leaking.ok).toBe(false);
  });

  it('judges resident memory where no live reading was taken (a gateway with several workers)', () => {
    expect(memoryCheck({ rssMiB: { gateway: 200, order: 130 }, liveMiB: { order: 37 } }, { rssMiB: { gateway: 240, order: 131 }, liveMiB: { order: 37 } })).toMatchObject({
      ok: false,
      detail: 'gateway resident 200 → 240 MiB (20.0%), order live 37 → 37 MiB (0.0%)',
    });
  });
});
