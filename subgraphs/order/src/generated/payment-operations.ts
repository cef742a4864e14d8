/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a payment stands with the processor. */
export type PaymentStatus =
  /** The processor took the money. */
  | 'COMPLETED'
  /** The processor declined the charge, or it was voided before it ran. */
  | 'FAILED'
  /** The charge was sent to the processor and has no answer yet. */
  | 'PENDING'
  /** The money was given back. */
  | 'REFUNDED';

export type PaymentAnswerFragment = { id: string, status: PaymentStatus, amount: string, failureReason: string | null };

export type ChargeMutationVariables = Exact<{
  orderId: string;
  customerId: string;
  amount: string;
}>;


export type ChargeMutation = { chargePayment: { id: string, status: PaymentStatus, amount: string, failureReason: string | null } };

export type RefundMutationVariables = Exact<{
  orderId: string;
}>;


export type RefundMutation = { refundPayment: { id: string, status: PaymentStatus, amount: string, failureReason: string | null } | null };

export type PaymentQueryVariables = Exact<{
  orderId: string;
}>;


export type PaymentQuery = { paymentForOrder: { id: string, status: PaymentStatus, amount: string, failureReason: string | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PaymentAnswerFragmentDoc = new TypedDocumentString(`
    fragment PaymentAnswer on Payment {
  id
  status
  amount
  failureReason
}
    `, {"fragmentName":"PaymentAnswer"}) as unknown as TypedDocumentString<PaymentAnswerFragment, unknown>;
export const ChargeDocument = new TypedDocumentString(`
    mutation Charge($orderId: ID!, $customerId: ID!, $amount: Decimal!) {
  chargePayment(orderId: $orderId, customerId: $customerId, amount: $amount) {
    ...PaymentAnswer
  }
}
    fragment PaymentAnswer on Payment {
  id
  status
  amount
  failureReason
}`) as unknown as TypedDocumentString<ChargeMutation, ChargeMutationVariables>;
export const RefundDocument = new TypedDocumentString(`
    mutation Refund($orderId: ID!) {
  refundPayment(orderId: $orderId) {
    ...PaymentAnswer
  }
}
    fragment PaymentAnswer on Payment {
  id
  status
  amount
  failureReason
}`) as unknown as TypedDocumentString<RefundMutation, RefundMutationVariables>;
export const PaymentDocument = new TypedDocumentString(`
    query Payment($orderId: ID!) {
  paymentForOrder(orderId: $orderId) {
    ...PaymentAnswer
  }
}
    fragment PaymentAnswer on Payment {
  id
  status
  amount
  failureReason
}`) as unknown as TypedDocumentString<PaymentQuery, PaymentQueryVariables>;