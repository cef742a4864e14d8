import type { Product } from './catalog.js';
import { h, show } from './dom.js';
import type { OrderLineInput } from './generated/graphql.js';
import { formatCents, toCents } from './money.js';

/** What the customer is about to order, one line per product. */
export class Cart {
  private readonly lines = new Map<string, { product: Product; quantity: number }>();

  add(product: Product, quantity: number): void {
    const line = this.lines.get(product.id);
    this.lines.set(product.id, { product, quantity: (line?.quantity ?? 0) + quantity });
  }

  remove(productId: string): void {
    this.lines.delete(productId);
  }

  clear(): void {
    this.lines.clear();
  }

  get isEmpty(): boolean {
    return this.lines.size === 0;
  }

  orderLines(): OrderLineInput[] {
    return [...this.lines.values()].map(({ product, quantity }) => ({ productId: product.id, quantity }));
  }

  render(section: HTMLElement, actions: { onRemove: (productId: string) => void; onPlace: () => void; isRetry: boolean; busy: boolean }): void {
    const items = [...this.lines.values()];
    const estimate = items.reduce((sum, { product, quantity }) => sum + toCents(product.price) * quantity, 0);
    show(
      section,
      h('h2', {}, 'Cart'),
      this.isEmpty
        ? h('p', { class: 'muted' }, 'Your cart is empty.')
        : h(
            'ul',
            { class: 'cart' },
            ...items.map(({ product, quantity }) =>
              h('li', { 'data-testid': 'cart-line' }, `${quantity} × ${product.name}`, h('button', { type: 'button', class: 'link', onclick: () => actions.onRemove(product.id) }, 'Remove')),
            ),
          ),
      !this.isEmpty && h('p', {}, `Estimated total: ${formatCents(estimate)}`),
      h(
        'button',
        { type: 'button', class: 'primary', 'data-testid': 'place-order', disabled: this.isEmpty || actions.busy, onclick: actions.onPlace },
        actions.busy ? 'Placing…' : actions.isRetry ? 'Retry placing this order' : 'Place order',
      ),
      actions.isRetry && h('p', { class: 'muted' }, 'A retry sends this order attempt again with the same idempotency key. Changing the cart starts a new attempt.'),
    );
  }
}
