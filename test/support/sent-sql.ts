import pg from 'pg';

export interface SentStatement {
  database: string;
  text: string;
  values: unknown[];
}

/**
 * Records every statement the services in this process send through the pg driver, with its
 * parameters, by wrapping Client#query (knex and MikroORM both end there). Only observes: each
 * call goes on unchanged. Returns the record and the function that stops recording.
 */
export function recordSentSql(): { sent: SentStatement[]; stop: () => void } {
  const sent: SentStatement[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const send = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    const query = typeof first === 'string' ? { text: first, values: second } : (first as { text?: string; values?: unknown[] });
    if (typeof query?.text === 'string') sent.push({ database: this.database ?? '', text: query.text, values: Array.isArray(query.values) ? query.values : [] });
    return send.apply(this, args);
  };
  return { sent, stop: () => (prototype.query = send) };
}
