/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a shipment stands. */
export type ShipmentStatus =
  /** Cancelled with its order before it was shipped. */
  | 'CANCELLED'
  /** The carrier delivered it. */
  | 'DELIVERED'
  /** Waiting to be handed to a carrier. */
  | 'PENDING'
  /** Handed to a carrier, with a tracking number. */
  | 'SHIPPED';

export type ShipmentAnswerFragment = { id: string, status: ShipmentStatus };

export type CreateShipmentMutationVariables = Exact<{
  orderId: string;
  customerId: string;
}>;


export type CreateShipmentMutation = { createShipment: { id: string, status: ShipmentStatus } };

export type CancelShipmentMutationVariables = Exact<{
  orderId: string;
}>;


export type CancelShipmentMutation = { cancelShipment: { id: string, status: ShipmentStatus } };

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
export const ShipmentAnswerFragmentDoc = new TypedDocumentString(`
    fragment ShipmentAnswer on Shipment {
  id
  status
}
    `, {"fragmentName":"ShipmentAnswer"}) as unknown as TypedDocumentString<ShipmentAnswerFragment, unknown>;
export const CreateShipmentDocument = new TypedDocumentString(`
    mutation CreateShipment($orderId: ID!, $customerId: ID!) {
  createShipment(orderId: $orderId, customerId: $customerId) {
    ...ShipmentAnswer
  }
}
    fragment ShipmentAnswer on Shipment {
  id
  status
}`) as unknown as TypedDocumentString<CreateShipmentMutation, CreateShipmentMutationVariables>;
export const CancelShipmentDocument = new TypedDocumentString(`
    mutation CancelShipment($orderId: ID!) {
  cancelShipment(orderId: $orderId) {
    ...ShipmentAnswer
  }
}
    fragment ShipmentAnswer on Shipment {
  id
  status
}`) as unknown as TypedDocumentString<CancelShipmentMutation, CancelShipmentMutationVariables>;