import type { Api } from './api.js';
import { h, show } from './dom.js';
import { StorefrontMyOrdersDocument, type OrderSort, type StorefrontMyOrdersQuery } from './generated/graphql.js';

type OrderSummary = StorefrontMyOrdersQuery['myOrders']['edges'][number]['node'];

const PAGE_SIZE = 5;

const SORTS: Record<string, { label: string; sort: OrderSort }> = {
  newest: { label: 'Newest first', sort: { field: 'PLACED_AT', direction: 'DESC' } },
  oldest: { label: 'Oldest first', sort: { field: 'PLACED_AT', direction: 'ASC' } },
  largest: { label: 'Largest total first', sort: { field: 'TOTAL', direction: 'DESC' } },
  smallest: { label: 'Smallest total first', sort: { field: 'TOTAL', direction: 'ASC' } },
};

/** The signed-in customer's orders in the chosen order (newest first until one is chosen), a
 *  page at a time ("Show more"); choosing another order starts again from the first page. */
export function createMyOrders(section: HTMLElement, api: Api, onOpen: (id: string) => void, onError: (error: unknown) => void) {
  let orders: OrderSummary[] = [];
  let chosen = 'newest';

  async function load(after: string | null = null): Promise<void> {
    try {
      const { myOrders } = await api.query(StorefrontMyOrdersDocument, { first: PAGE_SIZE, after, sort: SORTS[chosen]!.sort });
      orders = after ? [...orders, ...myOrders.edges.map((edge) => edge.node)] : myOrders.edges.map((edge) => edge.node);
      const choose = (event: Event) => {
        chosen = (event.target as HTMLSelectElement).value;
        void load();
      };
      show(
        section,
        h('h2', {}, `My orders (${myOrders.totalCount})`),
        h(
          'select',
          { 'aria-label': 'Sort orders', 'data-testid': 'order-sort', onchange: choose },
          ...Object.entries(SORTS).map(([value, { label }]) => h('option', { value, selected: value === chosen }, label)),
        ),
        h(
          'ul',
          { class: 'orders' },
          ...orders.map((order) =>
            h('li', { 'data-testid': 'my-order' }, h('button', { type: 'button', class: 'link', onclick: () => onOpen(order.id) }, `Order ${order.id}`), ` ${order.status} · ${order.totalAmount} · ${order.paymentStatus ?? 'not charged'} · ${order.shippingStatus ?? 'not shipping'}`),
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
