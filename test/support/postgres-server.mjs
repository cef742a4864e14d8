// A PostgreSQL server in a process of its own, so a test can stop and restart it under running
// services: `node postgres-server.mjs <dataDir> <port>`; prints "ready", stops on SIGTERM.
import { existsSync } from 'node:fs';
import { loadEmbeddedPostgres } from '../../scripts/reachable-postgres.mjs';

const [dataDir, port] = process.argv.slice(2);
const EmbeddedPostgres = await loadEmbeddedPostgres();
const postgres = new EmbeddedPostgres({
  databaseDir: dataDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'fsync=off'],
  onLog: () => {},
});
if (!existsSync(`${dataDir}/PG_VERSION`)) await postgres.initialise();
await postgres.start();
// The handler first: the test may send SIGTERM the moment it reads "ready".
process.once('SIGTERM', async () => {
  await postgres.stop();
  process.exit(0);
});
process.stdout.write('ready\n');
