import { createSubgraphClient, type RetryPolicy } from '../../../../lib/subgraph-client.js';
import type { SagaConfig } from '../config.js';

export interface ReservationAnswer {
  status: 'RESERVED' | 'CONFIRMED' | 'RELEASED' | 'REJECTED';
  rejection: 'PRODUCT_NOT_FOUND' | 'OUT_OF_STOCK' | null;
  reason: string | null;
  lines: { productId: string; quantity: number; unitPrice: string }[];
}

/** Release and confirm: only whether they happened matters to the saga, so their lines are not asked for. */
export type ReservationOutcome = Pick<ReservationAnswer, 'status'>;

export interface PaymentAnswer {
  id: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED' | 'REFUNDED';
  amount: string;
  failureReason: string | null;
}

/** The saga's view of the product and payment subgraphs: their internal operations over HTTP. */
export interface Peers {
  reserveStock(orderId: string, lines: { productId: string; quantity: number }[], requestId?: string): Promise<ReservationAnswer>;
  releaseStock(orderId: string, requestId?: string): Promise<ReservationOutcome>;
  confirmReservation(orderId: string, requestId?: string): Promise<ReservationOutcome>;
  chargePayment(orderId: string, customerId: string, amount: string, requestId?: string): Promise<PaymentAnswer>;
  refundPayment(orderId: string, requestId?: string): Promise<PaymentAnswer | null>;
  paymentForOrder(orderId: string, requestId?: string): Promise<PaymentAnswer | null>;
  retryPolicy: RetryPolicy;
}

const RESERVATION = 'status rejection reason lines { productId quantity unitPrice }';
const PAYMENT = 'id status amount failureReason';

export function createPeers(config: SagaConfig): Peers {
  const common = { serviceCredential: config.serviceCredential, timeoutMs: config.callTimeoutMs };
  const product = createSubgraphClient({ name: 'product service', url: config.productUrl, ...common });
  const payment = createSubgraphClient({ name: 'payment service', url: config.paymentUrl, ...common });
  return {
    retryPolicy: { retries: config.chargeRetries, baseDelayMs: config.retryBaseDelayMs },
    reserveStock: async (orderId, lines, requestId) =>
      (
        await product<{ reserveStock: ReservationAnswer }>(
          `mutation Reserve($orderId: ID!, $lines: [ReservationLineInput!]!) { reserveStock(orderId: $orderId, lines: $lines) { ${RESERVATION} } }`,
          { orderId, lines },
          requestId,
        )
      ).reserveStock,
    releaseStock: async (orderId, requestId) =>
      (await product<{ releaseStock: ReservationOutcome }>(`mutation Release($orderId: ID!) { releaseStock(orderId: $orderId) { status } }`, { orderId }, requestId))
        .releaseStock,
    confirmReservation: async (orderId, requestId) =>
      (
        await product<{ confirmReservation: ReservationOutcome }>(
          `mutation Confirm($orderId: ID!) { confirmReservation(orderId: $orderId) { status } }`,
          { orderId },
          requestId,
        )
      ).confirmReservation,
    chargePayment: async (orderId, customerId, amount, requestId) =>
      (
        await payment<{ chargePayment: PaymentAnswer }>(
          `mutation Charge($orderId: ID!, $customerId: ID!, $amount: Decimal!) { chargePayment(orderId: $orderId, customerId: $customerId, amount: $amount) { ${PAYMENT} } }`,
          { orderId, customerId, amount },
          requestId,
        )
      ).chargePayment,
    refundPayment: async (orderId, requestId) =>
      (await payment<{ refundPayment: PaymentAnswer | null }>(`mutation Refund($orderId: ID!) { refundPayment(orderId: $orderId) { ${PAYMENT} } }`, { orderId }, requestId))
        .refundPayment,
    paymentForOrder: async (orderId, requestId) =>
      (await payment<{ paymentForOrder: PaymentAnswer | null }>(`query Payment($orderId: ID!) { paymentForOrder(orderId: $orderId) { ${PAYMENT} } }`, { orderId }, requestId))
        .paymentForOrder,
  };
}
