import type { Api } from './api.js';
import { h, show } from './dom.js';
import { StorefrontMyOrdersDocument, type StorefrontMyOrdersQuery } from './generated/graphql.js';

type OrderSummary = StorefrontMyOrdersQuery['myOrders']['edges'][number]['node'];

const PAGE_SIZE = 5;

/** The signed-in customer's orders, newest first, a page at a time ("Show more"). */
export function createMyOrders(section: HTMLElement, api: Api, onOpen: (id: string) => void, onError: (error: unknown) => void) {
  let orders: OrderSummary[] = [];

  async function load(after: string | null = null): Promise<void> {
    try {
      const { myOrders } = await api.query(StorefrontMyOrdersDocument, { first: PAGE_SIZE, after });
      orders = after ? [...orders, ...myOrders.edges.map((edge) => edge.node)] : myOrders.edges.map((edge) => edge.node);
      show(
        section,
        h('h2', {}, `My orders (${myOrders.totalCount})`),
        h(
          'ul',
          { class: 'orders' },
          ...orders.map((order) =>
            h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => onOpen(order.id) }, `Order ${order.id}`), ` ${order.status} · ${order.totalAmount} · ${order.paymentStatus ?? 'not charged'} · ${order.shippingStatus ?? 'not shipping'}`),
          ),
        ),
        myOrders.pageInfo.hasNextPage && h('button', { type: 'button', onclick: () => void load(myOrders.pageInfo.endCursor) }, 'Show more'),
      );
    } catch (error) {
      onError(error);
    }
  }

  return { load, clear: () => show(section) };
}
