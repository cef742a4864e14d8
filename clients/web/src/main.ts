import './style.css';
import { ApiError, createApi, NetworkError } from './api.js';
import { Cart } from './cart.js';
import { createCatalog } from './catalog.js';
import { Checkout } from './checkout.js';
import { byId, show } from './dom.js';
import { StorefrontCancelOrderDocument, StorefrontOrderDocument, type OrderDetailsFragment } from './generated/graphql.js';
import { createLiveOrder } from './live-order.js';
import { createMyOrders } from './my-orders.js';
import { renderOrder } from './order-view.js';
import { session } from './session.js';

const endpoint = document.querySelector<HTMLMetaElement>('meta[name="graphql-endpoint"]')?.content ?? '/graphql';
const api = createApi(endpoint, () => session.token);
const notice = byId('notice');
const cart = new Cart();
const checkout = new Checkout(api);
let placing = false;

function tell(message: string | undefined): void {
  notice.textContent = message ?? '';
  notice.hidden = !message;
}

/** Turns a failure into a sentence the customer can act on. */
function explain(error: unknown): void {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') tell(`Sign in with a valid token first. (${error.message})`);
  else if (error instanceof ApiError) tell(`${error.message}${error.code ? ` (${error.code})` : ''}`);
  else if (error instanceof NetworkError) tell(error.message);
  else tell(`Something went wrong: ${String(error)}`);
}

const catalog = createCatalog(byId('catalog'), api, (product, quantity) => (cart.add(product, quantity), renderCart()), explain);
const myOrders = createMyOrders(byId('my-orders'), api, (id) => void openOrder(id), explain);

function renderCart(): void {
  cart.render(byId('cart'), { onRemove: (id) => (cart.remove(id), renderCart()), onPlace: () => void placeOrder(), isRetry: checkout.isRetry, busy: placing });
}

const liveOrder = createLiveOrder(endpoint, () => session.token, (order) => {
  renderOrder(byId('order'), order, (id) => void cancelOrder(id));
  void myOrders.load();
});

function showOrder(order: OrderDetailsFragment): void {
  renderOrder(byId('order'), order, (id) => void cancelOrder(id));
  liveOrder.watch(order.id);
}

async function placeOrder(): Promise<void> {
  placing = true;
  renderCart();
  try {
    const order = await checkout.place(cart.orderLines());
    tell(undefined);
    if (order.status === 'PAID') cart.clear();
    showOrder(order);
    void myOrders.load();
    void catalog.load();
  } catch (error) {
    if (error instanceof NetworkError) tell('No answer came back: the order may or may not have been placed. Retrying is safe, it cannot order twice.');
    else explain(error);
  } finally {
    placing = false;
    renderCart();
  }
}

async function openOrder(id: string): Promise<void> {
  try {
    const { order } = await api.query(StorefrontOrderDocument, { id });
    if (order) showOrder(order);
    else tell(`Order ${id} is not yours or does not exist.`);
  } catch (error) {
    explain(error);
  }
}

async function cancelOrder(id: string): Promise<void> {
  try {
    showOrder((await api.mutate(StorefrontCancelOrderDocument, { id })).cancelOrder);
    tell(undefined);
    void myOrders.load();
    void catalog.load();
  } catch (error) {
    explain(error);
  }
}

function renderSession(): void {
  const customer = session.customer;
  byId('who').textContent = session.token ? `Signed in as ${customer ?? 'an unknown customer'}` : 'Not signed in: you can browse, but ordering needs a token.';
  byId('sign-out').hidden = !session.token;
  if (session.token) void myOrders.load();
  else myOrders.clear();
}

const signIn = byId('sign-in') as HTMLFormElement;
signIn.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = new FormData(signIn).get('token');
  if (typeof token === 'string' && token.trim()) session.signIn(token);
  signIn.reset();
  tell(undefined);
  renderSession();
});
byId('sign-out').addEventListener('click', () => (session.signOut(), liveOrder.stop(), show(byId('order')), renderSession()));

renderSession();
renderCart();
void catalog.load();
