import { runService } from '../../lib/main.js';

/** A service whose stop never finishes, run through the real runService: for the test of the
 *  stop deadline. Until the signal the interval stands for its listening socket; stop() lets go
 *  of it, as a server closing its socket does, and then waits forever, as on a dependency that
 *  hangs while closing. */
await runService('hung', async () => {
  const listening = setInterval(() => {}, 60_000);
  return {
    url: 'http://localhost:0/graphql',
    port: 0,
    stop: () => {
      clearInterval(listening);
      return new Promise<void>(() => {});
    },
  };
});
