import type { Caller } from '../../../lib/auth.js';
import { ForbiddenError, NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { canSeeCustomerData } from '../../../lib/context.js';
import { driveOrder, cancelled, type SagaDeps } from './saga/driveOrder.js';
import { conclude } from './saga/state.js';
import type { SagaStep } from './entities/Order.js';

/**
 * Cancels an order for its owner or an admin; anyone else is FORBIDDEN. A PAID order is refunded
 * and its stock put back; a PENDING one is cancelled where its saga stands (the saga's next
 * conditional step then loses the race and stops); a cancelled one is returned unchanged.
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
