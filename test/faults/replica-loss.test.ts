import { fileURLToPath } from 'node:url';
import { runReplicaLoss } from '../../scripts/bench/replica-loss.js';
import { sourceServices } from '../../scripts/bench/services.js';
import { createSubgraphDatabases } from '../support/database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('an order replica lost under load and never brought back', () => {
  it('finishes every order through the surviving replica: PAID or CANCELLED, charged at most once, stock conserved, only contract errors', async () => {
    const report = await runReplicaLoss({
      root,
      build: sourceServices(root),
      databases: await createSubgraphDatabases(),
      customers: 16,
      ordersBeforeKill: 40,
      ordersAfterKill: 40,
      // Under jest's limit below, so a stall fails with where the run stood rather than a bare timeout.
      budgetMs: 200_000,
    });
    console.info(`replica loss: ${JSON.stringify({ ...report, invariants: { ...report.invariants, violations: report.invariants.violations.length } })}`);
    expect(report.problems).toEqual([]);
    expect(report.inFlightAtKill).toBeGreaterThan(0);
    expect(Object.keys(report.ended).every((outcome) => /^(PAID|CANCELLED)/.test(outcome))).toBe(true);
    // Gateway A's customers were moved: some of their keys went through B after the kill.
    expect(report.failovers).toBeGreaterThan(0);
  }, 240_000);

  it('fails a run past its budget with where it stood: the phase, the clients mid-key and what each server printed', async () => {
    const run = runReplicaLoss({
      root,
      build: sourceServices(root),
      databases: await createSubgraphDatabases(),
      customers: 2,
      ordersBeforeKill: 40,
      ordersAfterKill: 40,
      // Spent before the first order can be answered: the run stops at its first wait.
      budgetMs: 1,
    });
    const failure = (await run.then(() => null, (error: Error) => error))!;
    expect(failure.message).toMatch(/^timed out waiting for 40 orders through gateway A\n/);
    expect(failure.message).toMatch(/timeline:\n {2}0\.0 s Starting the product/);
    expect(failure.message).toMatch(/clients mid-key: loss-\w+-a-0\/k0 attempt 1 on gateway A since /);
    for (const server of ['product', 'payment', 'shipping', 'order A', 'order B', 'gateway A', 'gateway B']) expect(failure.message).toContain(`${server} printed:`);
  }, 120_000);
});
