import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, NotFoundError } from '../../../lib/errors.js';
import { canonicalUuid, isUuid } from '../../../lib/ids.js';
import type { Shipment, ShipmentStatus } from './entities/Shipment.js';
import { isCancelledBeforeCreation, SHIPMENT_COLUMNS, shipmentForOrder, toShipment, type ShipmentRow } from './shipments.js';

/**
 * Creates a paid order's shipment at most once, whatever is retried or raced: the unique order id
 * turns every later or concurrent insert into a no-op, and they all return the one row. When a
 * cancel got there first its CANCELLED marker is that row, so a late create does nothing.
 */
export async function createShipment(em: EntityManager, request: { orderId: string; customerId: string }): Promise<Shipment> {
  const orderId = validOrderId(request.orderId);
  // Any customer id the services accept from a token; '' is reserved for the cancel marker.
  if (request.customerId.trim() === '') throw new BadInputError('customerId must not be blank');
  const [inserted] = await em.execute<ShipmentRow[]>(
    `insert into shipment (order_id, customer_id, status) values (?, ?, 'PENDING') on conflict (order_id) do nothing returning ${SHIPMENT_COLUMNS}`,
    [orderId, request.customerId],
  );
  return inserted ? toShipment(inserted) : readByOrderId(em, orderId);
}

/**
 * Cancels an order's PENDING shipment, or leaves a CANCELLED marker for an order that has none
 * yet, so that a create arriving later (a saga or recovery that raced the cancel) finds it and
 * does nothing. Both are one statement each and conditional on the row's status, so of a cancel
 * and a ship racing, exactly one wins. A SHIPPED or DELIVERED shipment comes back unchanged: the
 * caller (the order's cancel) refuses on seeing it.
 */
export async function cancelShipment(em: EntityManager, requestedOrderId: string): Promise<Shipment> {
  const orderId = validOrderId(requestedOrderId);
  const [marked] = await em.execute<ShipmentRow[]>(
    `insert into shipment (order_id, customer_id, status) values (?, '', 'CANCELLED') on conflict (order_id) do nothing returning ${SHIPMENT_COLUMNS}`,
    [orderId],
  );
  if (marked) return toShipment(marked);
  const [cancelled] = await em.execute<ShipmentRow[]>(
    `update shipment set status = 'CANCELLED', updated_at = now() where order_id = ? and status = 'PENDING' returning ${SHIPMENT_COLUMNS}`,
    [orderId],
  );
  return cancelled ? toShipment(cancelled) : readByOrderId(em, orderId);
}

const MAX_TEXT = 100;

/** PENDING -> SHIPPED, with who carries it and its tracking number. */
export async function shipShipment(em: EntityManager, id: string, carrier: string, trackingNumber: string): Promise<Shipment> {
  const shipping = { carrier: validText('carrier', carrier), trackingNumber: validText('trackingNumber', trackingNumber) };
  return move(em, id, 'PENDING', 'SHIPPED', `carrier = ?, tracking_number = ?, shipped_at = now()`, [shipping.carrier, shipping.trackingNumber]);
}

/** SHIPPED -> DELIVERED. */
export function deliverShipment(em: EntityManager, id: string): Promise<Shipment> {
  return move(em, id, 'SHIPPED', 'DELIVERED', 'delivered_at = now()', []);
}

/** One conditional UPDATE: it applies only while the shipment is still `from`, so a racing cancel
 *  or a second admin's click loses cleanly (CONFLICT) instead of overwriting. */
async function move(em: EntityManager, id: string, from: ShipmentStatus, to: ShipmentStatus, assignments: string, values: unknown[]): Promise<Shipment> {
  if (!isUuid(id)) throw new NotFoundError(`Shipment ${id.slice(0, 64)} does not exist`);
  const [moved] = await em.execute<ShipmentRow[]>(
    `update shipment set status = ?, ${assignments}, updated_at = now() where id = ? and status = ? and customer_id <> '' returning ${SHIPMENT_COLUMNS}`,
    [to, ...values, canonicalUuid(id), from],
  );
  if (moved) return toShipment(moved);
  const [row] = await em.execute<ShipmentRow[]>(`select ${SHIPMENT_COLUMNS} from shipment where id = ?`, [canonicalUuid(id)]);
  const current = row ? toShipment(row) : null;
  if (!current || isCancelledBeforeCreation(current)) throw new NotFoundError(`Shipment ${id} does not exist`);
  throw new ConflictError(`Shipment ${id} is ${current.status}: only a ${from} shipment can become ${to}`);
}

/** The row a lost insert or update met; it exists, since rows are never deleted. */
async function readByOrderId(em: EntityManager, orderId: string): Promise<Shipment> {
  return (await shipmentForOrder(em, orderId))!;
}

function validText(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || [...trimmed].length > MAX_TEXT) throw new BadInputError(`${name} must be 1 to ${MAX_TEXT} characters`);
  return trimmed;
}

/** The order id as it is stored: a UUID in lower case whatever case it came in, so that one order
 *  can never have two shipment rows. */
function validOrderId(orderId: string): string {
  if (orderId.length === 0 || orderId.length > 64) throw new BadInputError('orderId must be 1 to 64 characters');
  return canonicalUuid(orderId);
}
