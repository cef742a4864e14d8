import { boundaryOf, multipartParts } from './multipart.js';

/** What Apollo Client's Defer20220824Handler asks for (plus plain JSON, as it also accepts). */
export const DEFER_ACCEPT = 'multipart/mixed;deferSpec=20220824,application/json';

export interface DeferredAnswer {
  status: number;
  contentType: string;
  /** The payloads one by one, as they arrive; done once the closing boundary has come. */
  payloads: AsyncIterator<any>;
  /** The plain JSON body, when the answer was not multipart. */
  json?: any;
}

/** A query sent as Apollo Client sends one with @defer, its multipart answer read part by part. */
export async function requestDeferred(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<DeferredAnswer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: DEFER_ACCEPT, ...headers }, body: JSON.stringify({ query, variables }) });
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith('multipart/mixed')) return { status: response.status, contentType, payloads: (async function* () {})(), json: await response.json() };
  return { status: response.status, contentType, payloads: multipartParts(response.body, boundaryOf(contentType)) };
}

export async function allPayloads(answer: DeferredAnswer): Promise<any[]> {
  const all: any[] = [];
  for (;;) {
    const { value, done } = await answer.payloads.next();
    if (done) return all;
    all.push(value);
  }
}

/** The initial payload with every incremental part merged in at its path, as a client merges them. */
export function mergePayloads(payloads: any[]): any {
  const data = structuredClone(payloads[0].data);
  for (const payload of payloads.slice(1)) {
    for (const part of payload.incremental ?? []) {
      const target = (part.path as (string | number)[]).reduce((value: any, key) => value[key], data);
      merge(target, part.data ?? {});
    }
  }
  return data;
}

function merge(target: any, source: any): void {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && target[key] && typeof target[key] === 'object') merge(target[key], value);
    else target[key] = value;
  }
}
