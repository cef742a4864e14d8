import { BadInputError } from './errors.js';

export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0) throw new BadInputError('first must be a non-negative integer');
  return Math.min(size, MAX_PAGE_SIZE);
}

/** Cursors are opaque to clients: base64url of a prefix and the keyset position. */
export function encodeCursor(kind: string, position: string[]): string {
  return Buffer.from(JSON.stringify([kind, ...position])).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | null | undefined, arity: number): string[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed[0] === kind && parsed.length === arity + 1 && parsed.every((part) => typeof part === 'string')) {
      return parsed.slice(1) as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadInputError('after is not a valid cursor');
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from a page fetched with one extra row, which tells whether more exist. */
export function toConnection<T>(rows: T[], size: number, totalCount: number, cursorOf: (row: T) => string): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}

/** The page of a connection, read only when a client selects `edges` or `pageInfo` (GraphQL
 *  calls a function-valued field), so a request for the count alone reads no rows. */
export interface LazyPage<T> {
  edges: () => Promise<Connection<T>['edges']>;
  pageInfo: () => Promise<Connection<T>['pageInfo']>;
}

export const PAGE_FIELDS = ['edges', 'pageInfo'] as const;

/**
 * `selected`: the resolver saw `edges` or `pageInfo` in the selection. The page is then read
 * before the connection is returned, so a failed read fails the list field once, as it always
 * has, rather than once under each of edges and pageInfo.
 */
export async function lazyPage<T>(read: () => Promise<Connection<T>>, selected: boolean): Promise<LazyPage<T>> {
  let page: Promise<Connection<T>> | undefined;
  const once = () => (page ??= read());
  if (selected) await once();
  return { edges: () => once().then(({ edges }) => edges), pageInfo: () => once().then(({ pageInfo }) => pageInfo) };
}

export type CountPrecision = 'EXACT' | 'AT_LEAST';
export interface BoundedCount {
  count: number;
  precision: CountPrecision;
}

export const DEFAULT_COUNT_LIMIT = 10_000;
export const MAX_COUNT_LIMIT = 100_000;

/**
 * A count that stops at `limit`: the SQL counts at most limit + 1 rows of `selectMatches` (a
 * `select 1 from ... where ...`), so it costs O(limit) however large the history grows, and the
 * extra row tells an exact count from a capped one.
 */
export function boundedCountQuery(selectMatches: string, limit: number | null | undefined): { sql: string; limit: number; cap: number } {
  const cap = limit ?? DEFAULT_COUNT_LIMIT;
  if (!Number.isInteger(cap) || cap < 1 || cap > MAX_COUNT_LIMIT) throw new BadInputError(`count(limit:) must be an integer from 1 to ${MAX_COUNT_LIMIT}`);
  return { sql: `select count(*) as count from (${selectMatches} limit ?) as matched`, limit: cap + 1, cap };
}

export function toBoundedCount(counted: number, cap: number): BoundedCount {
  return counted > cap ? { count: cap, precision: 'AT_LEAST' } : { count: counted, precision: 'EXACT' };
}
