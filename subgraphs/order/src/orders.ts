import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalUuid, isUuid } from '../../../lib/ids.js';
import type { Order } from './entities/Order.js';
import type { OrderLine } from './entities/OrderLine.js';

/*
 * The read paths below (a page, an entity batch, their lines) map rows themselves instead of going
 * through em.find: nothing is written back from them, and MikroORM's hydration and identity map
 * were most of the subgraph's CPU time per page. Writes still go through the saga's own SQL.
 */
export const ORDER_COLUMNS = [
  'id', 'customer_id', 'idempotency_key', 'request_fingerprint', 'status', 'saga_step', 'needs_refund', 'needs_release', 'total_amount',
  'cancellation_code', 'cancellation_reason', 'lease_owner', 'lease_until', 'created_at', 'updated_at',
].map((column) => `o.${column}`).join(', ');

export interface OrderRow {
  id: string;
  customer_id: string;
  idempotency_key: string;
  request_fingerprint: string;
  status: Order['status'];
  saga_step: Order['sagaStep'];
  needs_refund: boolean;
  needs_release: boolean;
  total_amount: string | null;
  cancellation_code: string | null;
  cancellation_reason: string | null;
  lease_owner: string | null;
  // MikroORM's driver leaves timestamps as PostgreSQL's text.
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    idempotencyKey: row.idempotency_key,
    requestFingerprint: row.request_fingerprint,
    status: row.status,
    sagaStep: row.saga_step,
    needsRefund: row.needs_refund,
    needsRelease: row.needs_release,
    totalAmount: row.total_amount,
    cancellationCode: row.cancellation_code,
    cancellationReason: row.cancellation_reason,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until === null ? null : new Date(row.lease_until),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  } as Order;
}

export async function findOrdersByIds(em: EntityManager, ids: readonly string[]): Promise<(Order | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length > 0 ? await em.execute<OrderRow[]>(`select ${ORDER_COLUMNS} from customer_order o where o.id in (?)`, [valid]) : [];
  // PostgreSQL answers uuids in lower case, whatever case they were asked in.
  const byId = new Map(rows.map((row) => [row.id, toOrder(row)]));
  return ids.map((id) => byId.get(canonicalUuid(id)) ?? null);
}

export async function findLinesByOrderIds(em: EntityManager, orderIds: readonly string[]): Promise<OrderLine[][]> {
  const valid = orderIds.filter(isUuid);
  const rows =
    valid.length > 0
      ? await em.execute<{ order_id: string; product_id: string; position: number; quantity: number; unit_price: string | null }[]>(
          'select order_id, product_id, position, quantity, unit_price from order_line where order_id in (?) order by order_id, position',
          [valid],
        )
      : [];
  const byOrder = new Map<string, OrderLine[]>(orderIds.map((id) => [canonicalUuid(id), []]));
  for (const row of rows) {
    byOrder.get(row.order_id)?.push({ orderId: row.order_id, productId: row.product_id, position: row.position, quantity: row.quantity, unitPrice: row.unit_price } as OrderLine);
  }
  return orderIds.map((id) => byOrder.get(canonicalUuid(id)) ?? []);
}
