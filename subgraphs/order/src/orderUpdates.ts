import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import { canSeeCustomerData, requireCustomer } from '../../../lib/context.js';
import { NotFoundError, publicError, UnavailableError } from '../../../lib/errors.js';
import { canonicalUuid, isUuid } from '../../../lib/ids.js';
import { createPushStream } from '../../../lib/push-stream.js';
import type { Order } from './entities/Order.js';
import type { FeedSignal, OrderFeed } from './orderFeed.js';
import { findOrdersByIds, ORDER_COLUMNS, toOrder, type OrderRow } from './orders.js';

/** How long a new subscription waits for the change feed to listen before it is refused. */
const LISTEN_TIMEOUT_MS = 5_000;

export interface OrderUpdatesDeps {
  feed: OrderFeed;
  em: EntityManager;
  caller: Caller;
}

const notFound = () => new NotFoundError('No order with this id is visible to you');

/**
 * The order as it is now, then again each time a client-visible part of it changes (the table's
 * trigger announces those). Someone else's order is refused exactly as a missing one. Reads are
 * one at a time: announcements that arrive during a read make one more read, not one each, since
 * each read gives the whole current state.
 */
export async function orderUpdates({ feed, em, caller }: OrderUpdatesDeps, id: string): Promise<AsyncIterable<Order>> {
  requireCustomer(caller);
  if (!isUuid(id)) throw notFound();
  const orderId = canonicalUuid(id);
  const read = async () => {
    const [order] = await findOrdersByIds(em, [orderId]);
    return order && canSeeCustomerData(caller, order.customerId) ? order : null;
  };
  let reading = false;
  let again = false;
  let started = false;
  // Each value is the order's whole state: a newer one replaces an older one not yet sent.
  const { stream, push, end } = createPushStream<Order>(() => unwatch(), { keyOf: (order) => order.id });
  const refresh = async () => {
    if (reading || !started) return void (again = true);
    reading = true;
    try {
      do {
        again = false;
        const order = await read();
        if (!order) return end(notFound());
        push(order);
      } while (again);
    } catch (error) {
      end(error);
    } finally {
      reading = false;
    }
  };
  // Watch first, then read: a change committed between the two is read again, not missed.
  const unwatch = feed.watchOrder(orderId, () => void refresh());
  try {
    if (!(await feed.listening(LISTEN_TIMEOUT_MS))) throw new UnavailableError('Order updates are unavailable right now; try again shortly');
    const first = await read();
    if (!first) throw notFound();
    push(first);
  } catch (error) {
    unwatch();
    throw error;
  }
  started = true;
  if (again) void refresh();
  return stream;
}

/** The caller's own orders, each time one of them changes (from now on: no first state). */
export async function myOrderUpdates({ feed, em, caller }: OrderUpdatesDeps): Promise<AsyncIterable<Order>> {
  const customerId = requireCustomer(caller);
  const pending = new Set<string>();
  let since: Date | undefined;
  let reading = false;
  // One value per order waiting to be sent; more orders waiting than that and the reader is told
  // to subscribe again, instead of one order's change being dropped.
  const { stream, push, end } = createPushStream<Order>(() => unwatch(), {
    maxQueued: 64,
    keyOf: (order) => order.id,
    onOverflow: () => end(publicError('RATE_LIMITED', 'Order updates came faster than they were read; subscribe again for the current state')),
  });
  const drain = async () => {
    if (reading) return;
    reading = true;
    try {
      while (pending.size > 0 || since) {
        if (since) {
          const from = since;
          since = undefined;
          const rows = await em.execute<OrderRow[]>(
            `select ${ORDER_COLUMNS} from customer_order o where o.customer_id = ? and o.updated_at >= ? order by o.updated_at limit 100`,
            [customerId, from],
          );
          for (const row of rows) push(toOrder(row));
        }
        const ids = [...pending];
        pending.clear();
        for (const order of await findOrdersByIds(em, ids)) if (order && order.customerId === customerId) push(order);
      }
    } catch (error) {
      end(error);
    } finally {
      reading = false;
    }
  };
  const unwatch = feed.watchCustomer(customerId, (signal: FeedSignal) => {
    if ('resync' in signal) since = since && since < signal.since ? since : signal.since;
    else pending.add(signal.orderId);
    void drain();
  });
  if (!(await feed.listening(LISTEN_TIMEOUT_MS))) {
    unwatch();
    throw new UnavailableError('Order updates are unavailable right now; try again shortly');
  }
  return stream;
}
