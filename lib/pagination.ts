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
