import type { Caller } from '../../../lib/auth.js';
import { ConflictError, ForbiddenError, NotFoundError, UnavailableError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { canSeeCustomerData } from '../../../lib/context.js';
import { driveOrder, cancelled, type SagaDeps } from './saga/driveOrder.js';
import { conclude, recordCancelIntent, settleCancelIntent } from './saga/state.js';
import type { SagaStep } from './entities/Order.js';

/**
 * Cancels an order for its owner or an admin; anyone else is FORBIDDEN. A PAID order's cancel is
 * recorded first and then settled by shipping: refunded and its stock put back once its shipment
 * is cancelled, refused once it has shipped; a PENDING one is cancelled where its saga stands (the
 * saga's next conditional step then loses the race and stops; no shipment exists before PAID); a
 * cancelled one is returned unchanged.
 */
export async function cancelOrder(deps: SagaDeps, caller: Caller, orderId: string, reason: string | null | undefined): Promise<void> {
  const current = async () => {
    const [row] = await deps.em.execute<{ customer_id: string; saga_step: SagaStep; status: string; created_at: Date }[]>(
      'select customer_id, saga_step, status, created_at from customer_order where id = ?',
      [orderId],
    );
    return row;
  };
  if (!isUuid(orderId)) throw new NotFoundError(`Order ${orderId.slice(0, 64)} does not exist`);
  for (;;) {
    const order = await current();
    if (!order) throw new NotFoundError(`Order ${orderId} does not exist`);
    // Unlike the order query, which shows someone else's order as null, a cancel is an action
    // the caller is not allowed: the contract's FORBIDDEN for a valid token without the right.
    if (!canSeeCustomerData(caller, order.customer_id)) throw new ForbiddenError('Only the customer who placed this order or an admin may cancel it');
    if (order.status === 'CANCELLED') break;
    const byCustomer = caller.customerId === order.customer_id;
    const code = byCustomer ? 'CANCELLED_BY_CUSTOMER' : 'CANCELLED_BY_ADMIN';
    const why = reason?.trim().slice(0, 500) || (byCustomer ? 'Cancelled by the customer' : 'Cancelled by an admin');
    const placed = { id: orderId, placedAt: new Date(order.created_at) };
    if (order.status === 'PAID') {
      // Already at CANCEL_SHIPMENT: another cancel recorded first, and this one helps settle it.
      if (order.saga_step !== 'CANCEL_SHIPMENT' && !(await recordCancelIntent(deps.em, orderId, code, why))) continue;
      await settleWithShipping(deps, placed);
      break;
    }
    // A charge can exist only once the saga has reached CHARGE; before that, nothing to refund.
    const change = cancelled(code, why, { needsRefund: order.saga_step !== 'RESERVE', needsRelease: true });
    if (await conclude(deps, placed, order.saga_step, change)) break;
  }
  await driveOrder(deps, orderId);
}

/**
 * Asks the shipping subgraph, the arbiter, to cancel the shipment of a paid order whose cancel is
 * recorded: it cancels a PENDING one, or marks an order with none so that a create still on its
 * way does nothing. A shipment that has left (SHIPPED, DELIVERED) refuses the cancel. Shipping not
 * answering leaves the cancel recorded: its call may have taken effect, so only shipping's answer,
 * which recovery asks for again, can settle it.
 */
async function settleWithShipping(deps: SagaDeps, order: { id: string; placedAt: Date }): Promise<void> {
  let shipment;
  try {
    shipment = await deps.peers.cancelShipment(order.id, deps.requestId);
  } catch (error) {
    deps.logger.warn({ orderId: order.id, err: error }, 'cancel pending: the shipping service did not answer');
    throw new UnavailableError(
      `Order ${order.id} is not cancelled yet: whether it has shipped cannot be checked right now. The cancel is recorded and completes (refund, stock back) once the shipping service answers, unless the order has shipped by then.`,
    );
  }
  await settleCancelIntent(deps, order, shipment.status);
  if (shipment.status === 'SHIPPED' || shipment.status === 'DELIVERED') {
    // The refused cancel left the order at CONFIRM: its confirmation goes with the next batch.
    deps.confirmLater?.(order.id);
    throw new ConflictError(`Order ${order.id} has already shipped (its shipment is ${shipment.status}) and can no longer be cancelled`);
  }
}
