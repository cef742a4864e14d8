import { recordingWaits } from '../../test/support/recorded-waits.js';
import { SubgraphCallError, withRetries, type RetryPolicy } from '../subgraph-client.js';

const transient = () => new SubgraphCallError('payment service did not answer within 4000 ms', true);
const refusal = () => new SubgraphCallError('payment service answered BAD_USER_INPUT: amount', false, 'BAD_USER_INPUT');

/** An attempt that fails with each error in turn, then answers "charged". */
function failing(...errors: Error[]) {
  const calls = { count: 0 };
  const attempt = async () => {
    const error = errors[calls.count];
    calls.count += 1;
    if (error) throw error;
    return 'charged';
  };
  return { attempt, calls };
}

describe('withRetries', () => {
  const policy: RetryPolicy = { retries: 2, baseDelayMs: 8 };

  it('tries a call that keeps failing transiently 3 times with 2 retries, and throws its last error', async () => {
    const errors = [transient(), transient(), transient(), transient()];
    const { attempt, calls } = failing(...errors);
    const { result } = await recordingWaits(() => withRetries(policy, attempt));
    expect(result).toEqual({ status: 'rejected', reason: errors[2] });
    expect(calls.count).toBe(3);
  });

  it.each([0, 1, 3, 5])('tries exactly %i retries after the first attempt', async (retries) => {
    const { attempt, calls } = failing(...Array.from({ length: 10 }, transient));
    const { result, waits } = await recordingWaits(() => withRetries({ retries, baseDelayMs: 1 }, attempt));
    expect(result.status).toBe('rejected');
    expect(calls.count).toBe(retries + 1);
    expect(waits).toHaveLength(retries);
  });

  it('returns the answer of the attempt that succeeds after transient failures', async () => {
    const { attempt, calls } = failing(transient(), transient());
    const { result } = await recordingWaits(() => withRetries(policy, attempt));
    expect(result).toEqual({ status: 'fulfilled', value: 'charged' });
    expect(calls.count).toBe(3);
  });

  it.each([
    ['a refusal', refusal()],
    ['an error that is not a subgraph call', new TypeError('cannot read properties of undefined')],
  ])('never retries %s', async (_case, error) => {
    const { attempt, calls } = failing(error, error);
    let retried = 0;
    const { result, waits } = await recordingWaits(() => withRetries(policy, attempt, () => (retried += 1)));
    expect(result).toEqual({ status: 'rejected', reason: error });
    expect(calls.count).toBe(1);
    expect(retried).toBe(0);
    expect(waits).toEqual([]);
  });

  it('stops retrying at the first refusal after transient failures', async () => {
    const { attempt, calls } = failing(transient(), refusal(), transient());
    const { result } = await recordingWaits(() => withRetries({ retries: 5, baseDelayMs: 1 }, attempt));
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason.code).toBe('BAD_USER_INPUT');
    expect(calls.count).toBe(2);
  });

  it('calls onRetry once per retry, with the error that caused it', async () => {
    const errors = [transient(), transient(), transient()];
    const seen: SubgraphCallError[] = [];
    await recordingWaits(() => withRetries(policy, failing(...errors).attempt, (error) => seen.push(error)));
    expect(seen).toEqual([errors[0], errors[1]]);

    const once: SubgraphCallError[] = [];
    await recordingWaits(() => withRetries(policy, failing(errors[0]!).attempt, (error) => once.push(error)));
    expect(once).toEqual([errors[0]]);
  });

  it('waits half the ceiling base × 2^n when the jitter is 0: exponential backoff', async () => {
    const { attempt } = failing(...Array.from({ length: 5 }, transient));
    const { waits } = await recordingWaits(() => withRetries({ retries: 4, baseDelayMs: 8 }, attempt), 0);
    expect(waits).toEqual([4, 8, 16, 32]);
  });

  it('waits just under the ceiling base × 2^n when the jitter is at its top', async () => {
    const { attempt } = failing(...Array.from({ length: 5 }, transient));
    const { waits } = await recordingWaits(() => withRetries({ retries: 4, baseDelayMs: 8 }, attempt), 0.999);
    const ceilings = [8, 16, 32, 64];
    waits.forEach((wait, n) => {
      expect(wait).toBeLessThan(ceilings[n]!);
      expect(wait).toBeCloseTo(ceilings[n]! * 0.9995, 6);
    });
    expect(waits).toHaveLength(4);
  });

  it('waits between half the ceiling and the ceiling with real jitter, and not the same each time', async () => {
    const runs: number[][] = [];
    for (let run = 0; run < 20; run += 1) {
      const { attempt } = failing(...Array.from({ length: 4 }, transient));
      runs.push((await recordingWaits(() => withRetries({ retries: 3, baseDelayMs: 100 }, attempt))).waits);
    }
    for (const waits of runs) {
      expect(waits).toHaveLength(3);
      waits.forEach((wait, n) => {
        const ceiling = 100 * 2 ** n;
        expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
        expect(wait).toBeLessThanOrEqual(ceiling);
      });
    }
    expect(new Set(runs.map((waits) => waits[0])).size).toBeGreaterThan(1);
  });
});
