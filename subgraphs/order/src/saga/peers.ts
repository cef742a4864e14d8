import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { createSubgraphClient, type RetryPolicy, type SubgraphCall } from '../../../../lib/subgraph-client.js';
import { ChargeDocument, PaymentDocument, RefundDocument, type PaymentAnswerFragment as PaymentAnswer } from '../generated/payment-operations.js';
import {
  ConfirmDocument,
  ConfirmManyDocument,
  type ConfirmManyMutation,
  ReleaseDocument,
  ReserveDocument,
  type ReservationAnswerFragment as ReservationAnswer,
  type ReservationOutcomeFragment,
} from '../generated/product-operations.js';
import { CancelShipmentDocument, CreateShipmentDocument, type ShipmentAnswerFragment as ShipmentAnswer } from '../generated/shipping-operations.js';
import type { SagaConfig } from '../config.js';

/** What the peers answer, typed by codegen from their SDL (codegen.ts, saga/operations/*.graphql). */
export type { ReservationAnswerFragment as ReservationAnswer } from '../generated/product-operations.js';
export type { PaymentAnswerFragment as PaymentAnswer } from '../generated/payment-operations.js';
export type { ShipmentAnswerFragment as ShipmentAnswer } from '../generated/shipping-operations.js';
/** Release and confirm: only whether they happened matters to the saga, so their lines are not asked for. */
export type ReservationOutcome = ReservationOutcomeFragment;

/** The saga's view of the product, payment and shipping subgraphs: their internal operations over HTTP. */
export interface Peers {
  reserveStock(orderId: string, lines: { productId: string; quantity: number }[], requestId?: string): Promise<ReservationAnswer>;
  releaseStock(orderId: string, requestId?: string): Promise<ReservationOutcome>;
  confirmReservation(orderId: string, requestId?: string): Promise<ReservationOutcome>;
  /** The confirm batcher's call: one answer per order, confirmed or why not. */
  confirmReservations(orderIds: string[]): Promise<ConfirmManyMutation['confirmReservations']>;
  chargePayment(orderId: string, customerId: string, amount: string, requestId?: string): Promise<PaymentAnswer>;
  refundPayment(orderId: string, requestId?: string): Promise<PaymentAnswer | null>;
  paymentForOrder(orderId: string, requestId?: string): Promise<PaymentAnswer | null>;
  createShipment(orderId: string, customerId: string, requestId?: string): Promise<ShipmentAnswer>;
  cancelShipment(orderId: string, requestId?: string): Promise<ShipmentAnswer>;
  retryPolicy: RetryPolicy;
}

/** A peer call that takes one of the generated operations: its variables and answer are typed. */
function typedCalls(call: SubgraphCall) {
  return <Result, Variables>(operation: DocumentTypeDecoration<Result, Variables>, variables: Variables, requestId?: string): Promise<Result> =>
    call<Result>(String(operation), variables as Record<string, unknown>, requestId);
}

export function createPeers(config: SagaConfig): Peers {
  const common = { serviceCredential: config.serviceCredential, timeoutMs: config.callTimeoutMs };
  const product = typedCalls(createSubgraphClient({ name: 'product service', url: config.productUrl, ...common }));
  const payment = typedCalls(createSubgraphClient({ name: 'payment service', url: config.paymentUrl, ...common }));
  const shipping = typedCalls(createSubgraphClient({ name: 'shipping service', url: config.shippingUrl, ...common }));
  return {
    retryPolicy: { retries: config.chargeRetries, baseDelayMs: config.retryBaseDelayMs },
    reserveStock: async (orderId, lines, requestId) => (await product(ReserveDocument, { orderId, lines }, requestId)).reserveStock,
    releaseStock: async (orderId, requestId) => (await product(ReleaseDocument, { orderId }, requestId)).releaseStock,
    confirmReservation: async (orderId, requestId) => (await product(ConfirmDocument, { orderId }, requestId)).confirmReservation,
    confirmReservations: async (orderIds) => (await product(ConfirmManyDocument, { orderIds })).confirmReservations,
    chargePayment: async (orderId, customerId, amount, requestId) => (await payment(ChargeDocument, { orderId, customerId, amount }, requestId)).chargePayment,
    refundPayment: async (orderId, requestId) => (await payment(RefundDocument, { orderId }, requestId)).refundPayment,
    paymentForOrder: async (orderId, requestId) => (await payment(PaymentDocument, { orderId }, requestId)).paymentForOrder,
    createShipment: async (orderId, customerId, requestId) => (await shipping(CreateShipmentDocument, { orderId, customerId }, requestId)).createShipment,
    cancelShipment: async (orderId, requestId) => (await shipping(CancelShipmentDocument, { orderId }, requestId)).cancelShipment,
  };
}
