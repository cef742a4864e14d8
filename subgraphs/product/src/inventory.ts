import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError } from '../../../lib/errors.js';
import { isProductId } from '../../../lib/ids.js';
import { normaliseMoney } from '../../../lib/money.js';
import type { ReservationStatus } from './entities/Reservation.js';

export interface RequestedLine {
  productId: string;
  quantity: number;
}

export type Rejection = 'PRODUCT_NOT_FOUND' | 'OUT_OF_STOCK';

export interface ReservationResult {
  orderId: string;
  status: ReservationStatus;
  rejection: Rejection | null;
  reason: string | null;
  /** Present when the call that made this answer already had them; read on demand otherwise. */
  lines?: ReservedLine[];
}

export interface ReservedLine {
  productId: string;
  quantity: number;
  unitPrice: string;
}

/**
 * Reserves every line of an order or none, in one statement (atomic on its own: no BEGIN or
 * COMMIT). It locks the order's products in id order, so concurrent orders never deadlock, and
 * decides from the locked, current stock whether every line fits. The reservation row keyed by
 * order id is then inserted as RESERVED or as REJECTED with the first line that does not fit;
 * only a RESERVED insert takes the stock and snapshots the prices. A repeated or concurrent call
 * for the same order waits on the first one's locks or row, inserts nothing, takes nothing and
 * returns what the first call decided.
 */
export async function reserveStock(em: EntityManager, orderId: string, requested: RequestedLine[]): Promise<ReservationResult> {
  const lines = mergeLines(requested);
  const unknown = lines.find((line) => !isProductId(line.productId));
  // Not a bigint: it names no product, and PostgreSQL must not be asked to cast it.
  if (unknown) return recordRejection(em, orderId, 'PRODUCT_NOT_FOUND', `Product ${unknown.productId} does not exist`);
  const [decided] = await em.execute<{ status: ReservationStatus; rejection: Rejection | null; reason: string | null; lines: ReservedRow[] }[]>(
    RESERVE_ALL_OR_NOTHING,
    [JSON.stringify(lines.map((line) => ({ product_id: line.productId, quantity: line.quantity }))), orderId, orderId],
  );
  if (!decided) return readReservation(em, orderId);
  return { orderId, status: decided.status, rejection: decided.rejection, reason: decided.reason, lines: decided.lines.map(reservedLine) };
}

const FITS_NOT = 'l.id is null or l.stock < r.quantity';
const RESERVE_ALL_OR_NOTHING = `
  with requested as (
    select * from jsonb_to_recordset(?::jsonb) as line(product_id bigint, quantity int)
  ), locked as materialized (
    select id, stock, price from product where id in (select product_id from requested) order by id for update
  ), verdict as (
    select
      (array_agg(case when l.id is null then 'PRODUCT_NOT_FOUND' else 'OUT_OF_STOCK' end order by r.product_id) filter (where ${FITS_NOT}))[1] as rejection,
      (array_agg(case when l.id is null then format('Product %s does not exist', r.product_id)
        else format('Product %s is out of stock: %s requested, %s available', r.product_id, r.quantity, l.stock) end
        order by r.product_id) filter (where ${FITS_NOT}))[1] as reason
    from requested r left join locked l on l.id = r.product_id
  ), claimed as (
    insert into reservation (order_id, status, rejection, reason)
    select ?, case when rejection is null then 'RESERVED' else 'REJECTED' end, rejection, reason from verdict
    on conflict (order_id) do nothing
    returning status, rejection, reason
  ), taken as (
    update product set stock = product.stock - r.quantity, updated_at = now()
    from requested r
    where product.id = r.product_id and exists (select from claimed where status = 'RESERVED')
    returning product.id, r.quantity, product.price
  ), recorded as (
    insert into reservation_line (order_id, product_id, quantity, unit_price) select ?, id, quantity, price from taken
  )
  select c.status, c.rejection, c.reason, (
    select coalesce(jsonb_agg(jsonb_build_object('product_id', t.id::text, 'quantity', t.quantity, 'unit_price', t.price::text) order by t.id), '[]')
    from taken t) as lines
  from claimed c`;

/** Recorded so a retry of this order gets the same answer instead of a second attempt. */
async function recordRejection(em: EntityManager, orderId: string, rejection: Rejection, reason: string): Promise<ReservationResult> {
  await em.execute(`insert into reservation (order_id, status, rejection, reason) values (?, 'REJECTED', ?, ?) on conflict (order_id) do nothing`, [
    orderId,
    rejection,
    reason,
  ]);
  return readReservation(em, orderId);
}

/**
 * Puts an order's stock back, whether it was only reserved or already sold (a cancelled paid
 * order). Releasing an order that never reserved leaves a RELEASED marker, so a reserve call
 * that arrives late (its answer was lost, the saga gave up) can no longer take stock.
 */
export async function releaseStock(em: EntityManager, orderId: string): Promise<ReservationResult> {
  return em.transactional(async (tx) => {
    await tx.execute(`insert into reservation (order_id, status, reason) values (?, 'RELEASED', 'Released before any stock was reserved') on conflict (order_id) do nothing`, [orderId]);
    const [current] = await tx.execute<{ status: ReservationStatus }[]>('select status from reservation where order_id = ? for update', [orderId]);
    if (current && (current.status === 'RESERVED' || current.status === 'CONFIRMED')) {
      const lines = await tx.execute<{ product_id: string; quantity: number }[]>(
        'select product_id, quantity from reservation_line where order_id = ? order by product_id',
        [orderId],
      );
      for (const line of lines) {
        await tx.execute('update product set stock = stock + ?, updated_at = now() where id = ?', [line.quantity, line.product_id]);
      }
      await tx.execute(`update reservation set status = 'RELEASED', updated_at = now() where order_id = ?`, [orderId]);
    }
    return readReservation(tx, orderId);
  });
}

/** Marks a reservation as sold once the order is paid. A released reservation cannot be
 *  confirmed: its stock may already belong to someone else. Its lines are read only when asked. */
export async function confirmReservation(em: EntityManager, orderId: string): Promise<ReservationResult> {
  const [confirmed] = await em.execute<{ status: ReservationStatus; rejection: Rejection | null; reason: string | null }[]>(
    `update reservation set status = 'CONFIRMED', updated_at = now() where order_id = ? and status = 'RESERVED' returning status, rejection, reason`,
    [orderId],
  );
  if (confirmed) return { orderId, ...confirmed };
  const reservation = await readReservation(em, orderId);
  if (reservation.status !== 'CONFIRMED') {
    throw new ConflictError(`The reservation of order ${orderId} is ${reservation.status} and cannot be confirmed`);
  }
  return reservation;
}

/** Where an order's reservation stands; its lines are read when the caller asks for them. */
export async function readReservation(em: EntityManager, orderId: string): Promise<ReservationResult> {
  const [row] = await em.execute<{ status: ReservationStatus; rejection: Rejection | null; reason: string | null }[]>(
    'select status, rejection, reason from reservation where order_id = ?',
    [orderId],
  );
  if (!row) throw new ConflictError(`Order ${orderId} has no reservation`);
  return { orderId, ...row };
}

export async function reservedLines(em: EntityManager, orderId: string): Promise<ReservedLine[]> {
  const rows = await em.execute<ReservedRow[]>('select product_id, quantity, unit_price from reservation_line where order_id = ? order by product_id', [orderId]);
  return rows.map(reservedLine);
}

interface ReservedRow {
  product_id: string;
  quantity: number;
  unit_price: string;
}

function reservedLine(row: ReservedRow): ReservedLine {
  return { productId: String(row.product_id), quantity: row.quantity, unitPrice: normaliseMoney(row.unit_price) };
}

/** Lines for the same product become one; the result is in product id order (the lock order). */
export function mergeLines(lines: RequestedLine[]): RequestedLine[] {
  if (lines.length === 0) throw new BadInputError('A reservation needs at least one line');
  const merged = new Map<string, number>();
  for (const { productId, quantity } of lines) {
    if (!Number.isInteger(quantity) || quantity < 1) throw new BadInputError('Every quantity must be a positive integer');
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  return [...merged]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => compareIds(a.productId, b.productId));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
