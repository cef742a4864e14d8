/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Internal: one line of a reservation request. */
export type ReservationLineInput = {
  productId: string;
  quantity: number;
};

/** Internal: reasons a reservation was rejected. */
export type ReservationRejection =
  | 'OUT_OF_STOCK'
  | 'PRODUCT_NOT_FOUND';

/** Internal: the state of an order's stock reservation. */
export type ReservationStatus =
  | 'CONFIRMED'
  | 'REJECTED'
  | 'RELEASED'
  | 'RESERVED';

export type ReservationAnswerFragment = { status: ReservationStatus, rejection: ReservationRejection | null, reason: string | null, lines: Array<{ productId: string, quantity: number, unitPrice: string }> };

export type ReserveMutationVariables = Exact<{
  orderId: string;
  lines: Array<ReservationLineInput> | ReservationLineInput;
}>;


export type ReserveMutation = { reserveStock: { status: ReservationStatus, rejection: ReservationRejection | null, reason: string | null, lines: Array<{ productId: string, quantity: number, unitPrice: string }> } };

export type ReservationOutcomeFragment = { status: ReservationStatus };

export type ReleaseMutationVariables = Exact<{
  orderId: string;
}>;


export type ReleaseMutation = { releaseStock: { status: ReservationStatus } };

export type ConfirmMutationVariables = Exact<{
  orderId: string;
}>;


export type ConfirmMutation = { confirmReservation: { status: ReservationStatus } };

export type ConfirmManyMutationVariables = Exact<{
  orderIds: Array<string> | string;
}>;


export type ConfirmManyMutation = { confirmReservations: Array<{ orderId: string, confirmed: boolean, reason: string | null }> };

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
export const ReservationAnswerFragmentDoc = new TypedDocumentString(`
    fragment ReservationAnswer on Reservation {
  status
  rejection
  reason
  lines {
    productId
    quantity
    unitPrice
  }
}
    `, {"fragmentName":"ReservationAnswer"}) as unknown as TypedDocumentString<ReservationAnswerFragment, unknown>;
export const ReservationOutcomeFragmentDoc = new TypedDocumentString(`
    fragment ReservationOutcome on Reservation {
  status
}
    `, {"fragmentName":"ReservationOutcome"}) as unknown as TypedDocumentString<ReservationOutcomeFragment, unknown>;
export const ReserveDocument = new TypedDocumentString(`
    mutation Reserve($orderId: ID!, $lines: [ReservationLineInput!]!) {
  reserveStock(orderId: $orderId, lines: $lines) {
    ...ReservationAnswer
  }
}
    fragment ReservationAnswer on Reservation {
  status
  rejection
  reason
  lines {
    productId
    quantity
    unitPrice
  }
}`) as unknown as TypedDocumentString<ReserveMutation, ReserveMutationVariables>;
export const ReleaseDocument = new TypedDocumentString(`
    mutation Release($orderId: ID!) {
  releaseStock(orderId: $orderId) {
    ...ReservationOutcome
  }
}
    fragment ReservationOutcome on Reservation {
  status
}`) as unknown as TypedDocumentString<ReleaseMutation, ReleaseMutationVariables>;
export const ConfirmDocument = new TypedDocumentString(`
    mutation Confirm($orderId: ID!) {
  confirmReservation(orderId: $orderId) {
    ...ReservationOutcome
  }
}
    fragment ReservationOutcome on Reservation {
  status
}`) as unknown as TypedDocumentString<ConfirmMutation, ConfirmMutationVariables>;
export const ConfirmManyDocument = new TypedDocumentString(`
    mutation ConfirmMany($orderIds: [ID!]!) {
  confirmReservations(orderIds: $orderIds) {
    orderId
    confirmed
    reason
  }
}
    `) as unknown as TypedDocumentString<ConfirmManyMutation, ConfirmManyMutationVariables>;