import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface RequestSpec {
  body: string;
  headers: Record<string, string>;
}

/** A fixed request, or a new one for every request (placeOrder: another customer, a fresh idempotency key). */
export type LoadRequest = RequestSpec | { next: () => RequestSpec };

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses that were not HTTP 2xx, carried GraphQL errors, or never came (socket errors, timeouts). */
  errors: number;
  /** The first few errors as they came (status and the start of the body, or the socket error), so a failed run says why. */
  errorSamples: string[];
  /** Responses received, errors included: the divisor for SQL statements per request. */
  responses: number;
}

/**
 * Drives POST /graphql with autocannon at a fixed number of connections for a fixed time, after
 * an unmeasured warm-up of the same load (JIT, plan caches, connection pools). A response with
 * an `errors` member counts as an error even with status 200, as GraphQL reports most failures.
 */
export async function drive(url: string, request: LoadRequest, settings: LoadSettings, beforeMeasuring?: () => Promise<void>): Promise<LoadResult> {
  let failedResponses = 0;
  let errorSamples: string[] = [];
  const sample = (what: string) => void (errorSamples.length < MAX_ERROR_SAMPLES && errorSamples.push(what));
  const onResponse = (status: number, body: string) => {
    if (status >= 200 && status <= 299 && !body.includes('"errors"')) return;
    failedResponses += 1;
    sample(`HTTP ${status}: ${body.slice(0, 400)}`);
  };
  const run = (seconds: number) =>
    autocannon({
      url,
      method: 'POST',
      connections: settings.connections,
      duration: seconds,
      timeout: 20,
      headers: { 'content-type': 'application/json', ...('headers' in request ? request.headers : {}) },
      requests: [
        'next' in request
          ? { setupRequest: (req: autocannon.Request) => withNext(req, request.next()), onResponse }
          : { body: request.body, onResponse },
      ],
    });
  const runSampled = (seconds: number) => {
    const instance = run(seconds);
    // Without a callback autocannon returns its tracker, an EventEmitter that is also a promise.
    (instance as unknown as EventEmitter).on('reqError', (error: Error) => sample(`no response: ${error.message}`));
    return instance;
  };
  if (settings.warmupSeconds > 0) await runSampled(settings.warmupSeconds);
  await beforeMeasuring?.();
  failedResponses = 0;
  errorSamples = [];
  const result = await runSampled(settings.durationSeconds);
  const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    requestsPerSecond: responses / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // autocannon's errors are connections that failed or timed out (no response at all).
    errors: failedResponses + result.errors,
    errorSamples,
    responses,
  };
}

const MAX_ERROR_SAMPLES = 3;

function withNext(req: autocannon.Request, next: RequestSpec): autocannon.Request {
  return { ...req, body: next.body, headers: { ...req.headers, ...next.headers } };
}
