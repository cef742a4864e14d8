import { h, show } from './dom.js';
import type { OrderDetailsFragment } from './generated/graphql.js';

/** One order as the customer sees it: status, payment, shipping (with the carrier and tracking
 *  number once shipped), lines with product names, total, and why it was cancelled when it was. */
export function renderOrder(section: HTMLElement, order: OrderDetailsFragment, onCancel: (id: string) => void): void {
  show(
    section,
    h('h2', {}, `Order ${order.id}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Status'),
      h('dd', { 'data-testid': 'order-status', class: `status-${order.status.toLowerCase()}` }, order.status),
      h('dt', {}, 'Payment'),
      h('dd', { 'data-testid': 'payment-status' }, order.paymentStatus ?? 'not charged'),
      h('dt', {}, 'Shipping'),
      h('dd', { 'data-testid': 'shipping-status' }, order.shippingStatus ?? 'not shipping'),
      order.shipment?.carrier && h('dt', {}, 'Carrier'),
      order.shipment?.carrier && h('dd', { 'data-testid': 'shipment-carrier' }, order.shipment.carrier),
      order.shipment?.trackingNumber && h('dt', {}, 'Tracking number'),
      order.shipment?.trackingNumber && h('dd', { 'data-testid': 'shipment-tracking' }, order.shipment.trackingNumber),
      h('dt', {}, 'Total'),
      h('dd', { 'data-testid': 'order-total' }, order.totalAmount),
    ),
    order.cancellationCode &&
      h('p', { class: 'reason', 'data-testid': 'cancellation-reason' }, `${order.cancellationCode}: ${order.cancellationReason ?? 'no reason given'}`),
    h(
      'table',
      { class: 'lines' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Product'), h('th', {}, 'Qty'), h('th', {}, 'Unit price'), h('th', {}, 'Line total'))),
      h(
        'tbody',
        {},
        ...order.lines.map((line) =>
          h(
            'tr',
            { 'data-testid': 'order-line' },
            h('td', {}, line.product?.name ?? `Unknown product ${line.productId}`),
            h('td', {}, line.quantity),
            h('td', {}, line.unitPrice ?? '–'),
            h('td', {}, line.lineTotal ?? '–'),
          ),
        ),
      ),
    ),
    // A shipped order can no longer be cancelled (the order service refuses with CONFLICT).
    order.status !== 'CANCELLED' && !hasShipped(order) && h('button', { type: 'button', 'data-testid': 'cancel-order', onclick: () => onCancel(order.id) }, 'Cancel order'),
  );
}

function hasShipped(order: OrderDetailsFragment): boolean {
  return order.shippingStatus === 'SHIPPED' || order.shippingStatus === 'DELIVERED';
}
