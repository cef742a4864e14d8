import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../../../lib/errors.js';
import { parseMoney } from '../../../lib/money.js';

/** The simulated payment processor's behaviour, set per process from the environment. */
export interface ProcessorConfig {
  /** Amounts of at least this many (e.g. "1000.00") are declined. */
  declineThreshold: string;
  /** How long the processor takes to answer a charge. */
  latencyMs: number;
  /** Share of charge calls (0 to 1) that fail with a transient error before doing anything. */
  failureRate: number;
}

export interface ProcessorAnswer {
  status: 'COMPLETED' | 'FAILED';
  failureReason: string | null;
}

/** Lets the saga's retry path be exercised: the failure comes before any state changes, so a
 *  retry of the same charge is always safe. */
export function simulateTransientFailure(processor: ProcessorConfig): void {
  if (Math.random() < processor.failureRate) {
    throw new UnavailableError('The payment processor is temporarily unavailable; try again');
  }
}

/** The processor call itself: slow when configured, declining by amount, otherwise taking the money. */
export async function askProcessor(processor: ProcessorConfig, amount: string): Promise<ProcessorAnswer> {
  if (processor.latencyMs > 0) await sleep(processor.latencyMs);
  if (parseMoney(amount) >= parseMoney(processor.declineThreshold)) {
    return { status: 'FAILED', failureReason: `Declined by the processor: amounts of ${processor.declineThreshold} or more are refused` };
  }
  return { status: 'COMPLETED', failureReason: null };
}
