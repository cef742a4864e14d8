import { rmSync } from 'node:fs';
import { TEST_JWT_SECRET } from './auth.js';
import { prepareStartRun, tryStart } from './start-process.js';

/**
 * Runs tryStart() and prints its outcome as one JSON line. The no-egress test runs this inside a
 * network namespace that has nothing but loopback (`unshare -n`), where the test itself cannot
 * reach the services.
 */
const run = await prepareStartRun(TEST_JWT_SECRET);
try {
  console.log(JSON.stringify(await tryStart(run)));
} finally {
  rmSync(run.dataDir, { recursive: true, force: true });
}
