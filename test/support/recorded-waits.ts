/**
 * Runs `work` with the waits withRetries asks of setTimeout recorded and made instant, and with
 * Math.random answering `random` (the jitter) when given. The waits are read, never timed.
 */
export async function recordingWaits<T>(work: () => Promise<T>, random?: number): Promise<{ waits: number[]; result: PromiseSettledResult<T> }> {
  const waits: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  const realRandom = Math.random;
  globalThis.setTimeout = ((callback: () => void, ms?: number) => {
    waits.push(ms ?? 0);
    return realSetTimeout(callback, 0);
  }) as typeof setTimeout;
  if (random !== undefined) Math.random = () => random;
  try {
    const [result] = await Promise.allSettled([work()]);
    return { waits, result: result! };
  } finally {
    globalThis.setTimeout = realSetTimeout;
    Math.random = realRandom;
  }
}
