import type { Caller } from '../../../lib/auth.js';
import { ConflictError, ForbiddenError, NotFoundError, UnavailableError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { canSeeCustomerData } from '../../../lib/context.js';
import { SubgraphCallError } from '../../../lib/subgraph-client.js';
import { driveOrder, cancelled, type SagaDeps } from './saga/driveOrder.js';
import { conclude } from './saga/state.js';
import type { SagaStep } from './entities/Order.js';

/**
 * Cancels an order for its owner or an admin; anyone else is FORBIDDEN. A PAID order is refunded
 * and its stock put back once its shipment is cancelled, and refused once it has shipped; a
 * PENDING one is cancelled where its saga stands (the saga's next conditional step then loses the
 * race and stops; no shipment exists before PAID); a cancelled one is returned unchanged.
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
    if (order.status === 'PAID') await cancelShipmentOf(deps, orderId);
    const byCustomer = caller.customerId === order.customer_id;
    const change = cancelled(
      byCustomer ? 'CANCELLED_BY_CUSTOMER' : 'CANCELLED_BY_ADMIN',
      reason?.trim().slice(0, 500) || (byCustomer ? 'Cancelled by the customer' : 'Cancelled by an admin'),
      // A charge can exist only once the saga has reached CHARGE; before that, nothing to refund.
      { needsRefund: order.saga_step !== 'RESERVE', needsRelease: true },
    );
    if (await conclude(deps, { id: orderId, placedAt: new Date(order.created_at) }, order.saga_step, change)) break;
  }
  await driveOrder(deps, orderId);
}

/**
 * Asks the shipping subgraph, the arbiter, to cancel a paid order's shipment before anything of
 * the order changes: it cancels a PENDING one, or marks an order with none so that a create still
 * on its way does nothing. A shipment that has left (SHIPPED, DELIVERED) refuses the cancel; so
 * does shipping being away, rather than risk refunding an order that has shipped.
 */
async function cancelShipmentOf(deps: SagaDeps, orderId: string): Promise<void> {
  let shipment;
  try {
    shipment = await deps.peers.cancelShipment(orderId, deps.requestId);
  } catch (error) {
    if (!(error instanceof SubgraphCallError && error.transient)) throw error;
    deps.logger.warn({ orderId, err: error }, 'cancel refused: the shipping service did not answer');
    throw new UnavailableError(`Order ${orderId} was not cancelled: whether it has shipped cannot be checked right now. Nothing was changed; try again shortly.`);
  }
  if (shipment.status === 'SHIPPED' || shipment.status === 'DELIVERED') {
    throw new ConflictError(`Order ${orderId} has already shipped (its shipment is ${shipment.status}) and can no longer be cancelled`);
  }
}
