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
  lines: { productId: string; quantity: number; unitPrice: string }[];
}

class ReservationRejected extends Error {
  constructor(readonly rejection: Rejection, reason: string) {
    super(reason);
  }
}

/**
 * Reserves every line of an order or none. The reservation row keyed by order id is inserted
 * first, so a repeated or concurrent call for the same order waits on it and then returns what
 * the first call decided. Each line is one conditional UPDATE (`stock >= quantity`) taken in
 * product id order, so concurrent orders can neither oversell nor deadlock each other.
 */
export async function reserveStock(em: EntityManager, orderId: string, requested: RequestedLine[]): Promise<ReservationResult> {
  const lines = mergeLines(requested);
  try {
    return await em.transactional(async (tx) => {
      const inserted = await tx.execute(
        `insert into reservation (order_id, status) values (?, 'RESERVED') on conflict (order_id) do nothing returning order_id`,
        [orderId],
      );
      if (inserted.length === 0) return readReservation(tx, orderId);
      const reserved: ReservationResult['lines'] = [];
      for (const line of lines) {
        if (!isProductId(line.productId)) throw new ReservationRejected('PRODUCT_NOT_FOUND', `Product ${line.productId} does not exist`);
        const rows = await tx.execute<{ price: string }[]>(
          'update product set stock = stock - ?, updated_at = now() where id = ? and stock >= ? returning price',
          [line.quantity, line.productId, line.quantity],
        );
        if (rows.length === 0) throw await explainShortage(tx, line);
        reserved.push({ ...line, unitPrice: normaliseMoney(rows[0]!.price) });
      }
      await tx.execute(
        `insert into reservation_line (order_id, product_id, quantity, unit_price) values ${reserved.map(() => '(?, ?, ?, ?)').join(', ')}`,
        reserved.flatMap((line) => [orderId, line.productId, line.quantity, line.unitPrice]),
      );
      return { orderId, status: 'RESERVED' as const, rejection: null, reason: null, lines: reserved };
    });
  } catch (error) {
    if (!(error instanceof ReservationRejected)) throw error;
    // Recorded so a retry of this order gets the same answer instead of a second attempt.
    await em.execute(
      `insert into reservation (order_id, status, rejection, reason) values (?, 'REJECTED', ?, ?) on conflict (order_id) do nothing`,
      [orderId, error.rejection, error.message],
    );
    return readReservation(em, orderId);
  }
}

async function explainShortage(tx: EntityManager, line: RequestedLine): Promise<ReservationRejected> {
  const [product] = await tx.execute<{ stock: number }[]>('select stock from product where id = ?', [line.productId]);
  if (!product) return new ReservationRejected('PRODUCT_NOT_FOUND', `Product ${line.productId} does not exist`);
  return new ReservationRejected(
    'OUT_OF_STOCK',
    `Product ${line.productId} is out of stock: ${line.quantity} requested, ${product.stock} available`,
  );
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
 *  confirmed: its stock may already belong to someone else. */
export async function confirmReservation(em: EntityManager, orderId: string): Promise<ReservationResult> {
  await em.execute(`update reservation set status = 'CONFIRMED', updated_at = now() where order_id = ? and status = 'RESERVED'`, [orderId]);
  const reservation = await readReservation(em, orderId);
  if (reservation.status !== 'CONFIRMED') {
    throw new ConflictError(`The reservation of order ${orderId} is ${reservation.status} and cannot be confirmed`);
  }
  return reservation;
}

export async function readReservation(em: EntityManager, orderId: string): Promise<ReservationResult> {
  const [row] = await em.execute<{ status: ReservationStatus; rejection: Rejection | null; reason: string | null }[]>(
    'select status, rejection, reason from reservation where order_id = ?',
    [orderId],
  );
  if (!row) throw new ConflictError(`Order ${orderId} has no reservation`);
  const lines = await em.execute<{ product_id: string; quantity: number; unit_price: string }[]>(
    'select product_id, quantity, unit_price from reservation_line where order_id = ? order by product_id',
    [orderId],
  );
  return {
    orderId,
    status: row.status,
    rejection: row.rejection,
    reason: row.reason,
    lines: lines.map((line) => ({ productId: String(line.product_id), quantity: line.quantity, unitPrice: normaliseMoney(line.unit_price) })),
  };
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
