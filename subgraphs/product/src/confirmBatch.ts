import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError } from '../../../lib/errors.js';
import type { ReservationStatus } from './entities/Reservation.js';

/** The most orders one call confirms: one statement with an `in (?)` list of this many ids stays
 *  small, and the order subgraph's batches are far below it. */
export const MAX_CONFIRM_BATCH = 500;

export interface ReservationConfirmation {
  orderId: string;
  /** CONFIRMED now, by this call or an earlier one. */
  confirmed: boolean;
  /** Where the reservation stands; null when the order has none. */
  status: ReservationStatus | null;
  reason: string | null;
}

/**
 * Marks many orders' reservations as sold in one statement: the RESERVED ones become CONFIRMED,
 * the CONFIRMED ones stay so (confirming is idempotent). As with one confirm, a RELEASED or
 * REJECTED reservation is never confirmed (its stock may belong to someone else) and an unknown
 * order has none; in a batch each is reported in its own answer rather than failing the others.
 * One answer per distinct id, in the order asked.
 */
export async function confirmReservations(em: EntityManager, orderIds: string[]): Promise<ReservationConfirmation[]> {
  if (orderIds.length > MAX_CONFIRM_BATCH) throw new BadInputError(`At most ${MAX_CONFIRM_BATCH} orders are confirmed per call, not ${orderIds.length}`);
  const asked = [...new Set(orderIds)];
  if (asked.length === 0) return [];
  // The select sees the rows as they were before the update in the same statement: the
  // confirmed CTE says which of them this statement changed.
  const rows = await em.execute<{ order_id: string; status: ReservationStatus }[]>(
    `with confirmed as (
       update reservation set status = 'CONFIRMED', updated_at = now() where order_id in (?) and status = 'RESERVED' returning order_id
     )
     select r.order_id, case when c.order_id is null then r.status else 'CONFIRMED' end as status
     from reservation r left join confirmed c on c.order_id = r.order_id
     where r.order_id in (?)`,
    [asked, asked],
  );
  const statusOf = new Map(rows.map((row) => [row.order_id, row.status]));
  return asked.map((orderId) => confirmation(orderId, statusOf.get(orderId) ?? null));
}

function confirmation(orderId: string, status: ReservationStatus | null): ReservationConfirmation {
  if (status === 'CONFIRMED') return { orderId, confirmed: true, status, reason: null };
  const reason = status ? `The reservation of order ${orderId} is ${status} and cannot be confirmed` : `Order ${orderId} has no reservation`;
  return { orderId, confirmed: false, status, reason };
}
