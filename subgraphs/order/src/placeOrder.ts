import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, IdempotencyConflictError } from '../../../lib/errors.js';
import { isProductId } from '../../../lib/ids.js';
import { countedCall, countPlaceOrderCall, refuseOverLimit, type CallCount, type PlaceOrderRateLimit } from './placeOrderRateLimit.js';
import type { Order } from './entities/Order.js';
import type { PaymentStatus } from './generated/payment-operations.js';
import { driveOrder, type SagaDeps } from './saga/driveOrder.js';

export interface PlaceOrderInput {
  idempotencyKey: string;
  lines: OrderLineRequest[];
}

export interface OrderLineRequest {
  productId: string;
  quantity: number;
}

const MAX_LINES = 50;
const MAX_QUANTITY = 10_000;
/** How long a request that lost the idempotency race waits for the winner to finish. */
const FOLLOWER_WAIT_MS = 25_000;

/** Contract rule 1: checked before anything is recorded. Lines for one product are merged. */
export function validatePlaceOrder(input: PlaceOrderInput): PlaceOrderInput {
  const key = input.idempotencyKey;
  // Characters (code points), as the contract and the varchar(128) column count them, not the
  // UTF-16 units of key.length: an emoji is one character but two units.
  const characters = [...key].length;
  if (characters < 1 || characters > 128) throw new BadInputError('idempotencyKey must be 1 to 128 characters');
  if (input.lines.length < 1 || input.lines.length > MAX_LINES) throw new BadInputError(`An order has 1 to ${MAX_LINES} lines`);
  for (const { productId, quantity } of input.lines) {
    if (!isProductId(productId)) throw new BadInputError(`"${productId.slice(0, 40)}" is not a product id`);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw new BadInputError(`Each quantity must be 1 to ${MAX_QUANTITY}`);
  }
  // The 10,000 bound is per line as sent: merged lines may add up to MAX_LINES x MAX_QUANTITY.
  return { idempotencyKey: key, lines: mergeLines(input.lines) };
}

/** One line per product, where its first line was, with the quantities of all its lines added. */
export function mergeLines(lines: readonly OrderLineRequest[]): OrderLineRequest[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of lines) merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/** Identifies what was asked, independent of line order, to tell a retry from a different order. */
function fingerprint(lines: PlaceOrderInput['lines']): string {
  const canonical = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1)).map((l) => `${l.productId}x${l.quantity}`);
  return createHash('sha256').update(canonical.join(',')).digest('hex');
}

/**
 * Counts the call against the customer's rate limit, records the order (or finds the one this
 * key already made) and runs the saga. The unique (customer, key) constraint decides which of
 * several racing requests creates the order; the others wait for it and return the same order.
 */
export async function placeOrder(deps: SagaDeps, customerId: string, rawInput: PlaceOrderInput, limit: PlaceOrderRateLimit): Promise<PlacedOrder> {
  let input: PlaceOrderInput;
  try {
    input = validatePlaceOrder(rawInput);
  } catch (error) {
    // Every call counts, a bad input too; over the limit, the limit is the answer.
    await countPlaceOrderCall(deps.em, customerId, limit);
    throw error;
  }
  const print = fingerprint(input.lines);
  const orderId = randomUUID();
  // The count, the order and its lines in one statement, atomic on its own (no BEGIN or
  // COMMIT); a call over the limit records nothing. Calls of one customer queue on the
  // customer's allowance row, so this statement never waits on a lock while holding another.
  const counted = countedCall(customerId, limit);
  const [recorded] = await deps.em.execute<(CallCount & { created_at: string | null })[]>(
    `with ${counted.sql}, placed as (
       insert into customer_order (id, customer_id, idempotency_key, request_fingerprint, status, saga_step)
       select ?, ?, ?, ?, 'PENDING', 'RESERVE' from counted where counted.used <= ?
       on conflict (customer_id, idempotency_key) do nothing
       returning id, customer_id, created_at
     ), lines as (
       insert into order_line (order_id, product_id, position, quantity, customer_id, placed_at)
       select placed.id, line.product_id, line.position, line.quantity, placed.customer_id, placed.created_at
       from placed, jsonb_to_recordset(?::jsonb) as line(product_id text, position int, quantity int)
     )
     select counted.used, counted.seconds_left, placed.created_at from counted left join placed on true`,
    [
      ...counted.params,
      orderId,
      customerId,
      input.idempotencyKey,
      print,
      limit.points,
      JSON.stringify(input.lines.map((line, position) => ({ product_id: line.productId, position, quantity: line.quantity }))),
    ],
  );
  refuseOverLimit(recorded!, limit);
  if (!recorded!.created_at) return { id: await followExistingOrder(deps.em, customerId, input.idempotencyKey, print) };
  const { order, paymentStatus } = await driveOrder(deps, orderId, {
    id: orderId,
    customerId,
    status: 'PENDING',
    sagaStep: 'RESERVE',
    needsRefund: false,
    needsRelease: false,
    totalAmount: null,
    placedAt: new Date(recorded!.created_at),
    lines: input.lines,
    // A new order: nothing charged yet, so payment would answer null.
    paymentStatus: null,
  });
  return { id: orderId, order, paymentStatus };
}

/** The order's id, and the order itself when the saga's last write here is what finished it,
 *  with its payment's status when the saga knows it for sure (see paymentStatus.ts). */
export interface PlacedOrder {
  id: string;
  order?: Order;
  paymentStatus?: PaymentStatus | null;
}

async function followExistingOrder(em: EntityManager, customerId: string, key: string, print: string): Promise<string> {
  // Monotonic: a step of the wall clock (a VM's clock sync) neither cuts the wait short nor stretches it.
  const deadline = performance.now() + FOLLOWER_WAIT_MS;
  for (;;) {
    const [existing] = await em.execute<{ id: string; request_fingerprint: string; status: string }[]>(
      'select id, request_fingerprint, status from customer_order where customer_id = ? and idempotency_key = ?',
      [customerId, key],
    );
    if (!existing) throw new Error('an order conflicted on its idempotency key but cannot be found');
    if (existing.request_fingerprint !== print) {
      throw new IdempotencyConflictError('This idempotency key was already used for an order with different lines');
    }
    if (existing.status !== 'PENDING' || performance.now() > deadline) return existing.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
