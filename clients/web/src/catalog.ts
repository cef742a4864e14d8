import type { Api } from './api.js';
import { h, show } from './dom.js';
import { StorefrontProductsDocument, type StorefrontProductsQuery } from './generated/graphql.js';

export type Product = StorefrontProductsQuery['products']['edges'][number]['node'];

const PAGE_SIZE = 5;

/** The product list: search, and pages through the connection's cursors. The cursors of the
 *  pages before this one are kept so "Previous" can go back. */
export function createCatalog(section: HTMLElement, api: Api, onAdd: (product: Product, quantity: number) => void, onError: (error: unknown) => void) {
  let search = '';
  const cursors: (string | null)[] = [null];

  async function load(): Promise<void> {
    const page = cursors.length - 1;
    try {
      const { products } = await api.query(StorefrontProductsDocument, { first: PAGE_SIZE, after: cursors[page], search: search || null });
      render(products, page);
    } catch (error) {
      onError(error);
    }
  }

  function render(products: StorefrontProductsQuery['products'], page: number): void {
    const searchBox = h('input', { type: 'search', name: 'search', value: search, placeholder: 'Search products', 'data-testid': 'search' });
    const form = h('form', { onsubmit: (event) => (event.preventDefault(), (search = searchBox.value.trim()), cursors.splice(1), void load()) }, searchBox, h('button', { type: 'submit' }, 'Search'));
    const first = page * PAGE_SIZE + 1;
    show(
      section,
      h('h2', {}, 'Products'),
      form,
      h('p', { class: 'muted', 'data-testid': 'product-count' }, products.totalCount === 0 ? 'No products match.' : `${first}–${first + products.edges.length - 1} of ${products.totalCount}`),
      h('ul', { class: 'products' }, ...products.edges.map(({ node }) => productItem(node))),
      h(
        'nav',
        { class: 'pager' },
        h('button', { type: 'button', disabled: page === 0, onclick: () => (cursors.pop(), void load()) }, '← Previous'),
        h('button', { type: 'button', disabled: !products.pageInfo.hasNextPage, onclick: () => (cursors.push(products.pageInfo.endCursor), void load()) }, 'Next →'),
      ),
    );
  }

  function productItem(product: Product): HTMLElement {
    const quantity = h('input', { type: 'number', min: 1, max: 10000, value: 1, 'aria-label': `Quantity of ${product.name}` });
    return h(
      'li',
      { 'data-testid': 'product' },
      h('div', {}, h('strong', {}, product.name), h('div', { class: 'muted' }, product.description ?? '')),
      h('span', { class: 'price' }, product.price),
      h('span', { class: product.stock > 0 ? 'muted' : 'sold-out' }, product.stock > 0 ? `${product.stock} in stock` : 'Sold out'),
      quantity,
      h('button', { type: 'button', onclick: () => onAdd(product, Math.max(1, Math.trunc(Number(quantity.value)) || 1)) }, 'Add to cart'),
    );
  }

  return { load };
}
