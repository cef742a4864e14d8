import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import { canSeeCustomerData } from '../../../lib/context.js';
import { canonicalUuid, isUuid } from '../../../lib/ids.js';
import type { Shipment } from './entities/Shipment.js';

export async function shipmentForOrder(em: EntityManager, orderId: string): Promise<Shipment | null> {
  const [row] = await em.execute<ShipmentRow[]>(`select ${SHIPMENT_COLUMNS} from shipment where order_id = ?`, [canonicalUuid(orderId)]);
  return row ? toShipment(row) : null;
}

/** One SELECT for a whole batch of orders, in the order asked, null where an order has no shipment. */
export async function findShipmentsByOrderIds(em: EntityManager, orderIds: readonly string[]): Promise<(Shipment | null)[]> {
  // Order ids are stored as the saga sends them, UUIDs in lower case.
  const keys = orderIds.map(canonicalUuid);
  const rows = keys.length > 0 ? await em.execute<ShipmentRow[]>(`select ${SHIPMENT_COLUMNS} from shipment where order_id in (?)`, [[...new Set(keys)]]) : [];
  const byOrderId = new Map(rows.map((row) => [row.order_id, toShipment(row)]));
  return keys.map((orderId) => byOrderId.get(orderId) ?? null);
}

/** One SELECT for a batch of shipment ids; an id that is not a UUID names no shipment. */
export async function findShipmentsByIds(em: EntityManager, ids: readonly string[]): Promise<(Shipment | null)[]> {
  const valid = ids.filter(isUuid).map(canonicalUuid);
  const rows = valid.length > 0 ? await em.execute<ShipmentRow[]>(`select ${SHIPMENT_COLUMNS} from shipment where id in (?)`, [valid]) : [];
  const byId = new Map(rows.map((row) => [row.id, toShipment(row)]));
  return ids.map((id) => (isUuid(id) ? (byId.get(canonicalUuid(id)) ?? null) : null));
}

/* Rows are mapped here rather than hydrated by MikroORM: nothing is written back from them, and
 * every write is conditional SQL (lifecycle.ts) whose RETURNING row goes through toShipment too,
 * as in the payment subgraph. */
export const SHIPMENT_COLUMNS = 'id, order_id, customer_id, status, carrier, tracking_number, shipped_at, delivered_at, created_at, updated_at';

export interface ShipmentRow {
  id: string;
  order_id: string;
  customer_id: string;
  status: Shipment['status'];
  carrier: string | null;
  tracking_number: string | null;
  // MikroORM's driver leaves timestamps as PostgreSQL's text.
  shipped_at: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export function toShipment(row: ShipmentRow): Shipment {
  const date = (text: string | null) => (text === null ? null : new Date(text));
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    shippedAt: date(row.shipped_at),
    deliveredAt: date(row.delivered_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  } as Shipment;
}

/**
 * What a caller may see through the public Order and Shipment types: customers only their own
 * shipments. The marker of an order cancelled before its shipment existed is not shown at all:
 * nothing was ever to be shipped, so the order has no shipment (and no shippingStatus).
 */
export function shipmentVisibleTo(caller: Caller, shipment: Shipment | null): Shipment | null {
  if (!shipment || isCancelledBeforeCreation(shipment)) return null;
  return canSeeCustomerData(caller, shipment.customerId) ? shipment : null;
}

/** The marker cancelShipment leaves for an order with no shipment: the customer is unknown there
 *  (only createShipment is told it), so '' which matches no caller. */
export function isCancelledBeforeCreation(shipment: Shipment): boolean {
  return shipment.customerId === '';
}
