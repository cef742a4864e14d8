/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Why an order was cancelled. */
export type CancellationCode =
  /** An admin cancelled the order. */
  | 'CANCELLED_BY_ADMIN'
  /** The customer cancelled the order. */
  | 'CANCELLED_BY_CUSTOMER'
  /** The product service could not be reached. */
  | 'INVENTORY_UNAVAILABLE'
  /** A line asked for more units than were in stock. */
  | 'OUT_OF_STOCK'
  /** The payment processor declined the charge. */
  | 'PAYMENT_DECLINED'
  /** The payment service could not be reached or kept failing. */
  | 'PAYMENT_UNAVAILABLE'
  /** A line named a product that does not exist. */
  | 'PRODUCT_NOT_FOUND';

/** One line to order. */
export type OrderLineInput = {
  /** The product to order. */
  productId: string;
  /** 1 to 10,000 units. */
  quantity: number;
};

/** Where an order stands. PENDING only while placeOrder runs. */
export type OrderStatus =
  /** The order ended without a sale; see cancellationCode. */
  | 'CANCELLED'
  /** Stock reserved and payment completed. */
  | 'PAID'
  /** placeOrder is still reserving stock or charging. */
  | 'PENDING';

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

/** An order to place. */
export type PlaceOrderInput = {
  /** 1 to 128 characters, chosen by the client once per order attempt and reused on retries. */
  idempotencyKey: string;
  /** 1 to 50 lines; lines for the same product are merged. */
  lines: Array<OrderLineInput>;
};

export type InStockProductsQueryVariables = Exact<{
  first: number;
}>;


export type InStockProductsQuery = { products: { edges: Array<{ node: { id: string, name: string, price: string, stock: number } }> } };

export type PlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
}>;


export type PlaceOrderMutation = { placeOrder: { id: string, status: OrderStatus, totalAmount: string, paymentStatus: PaymentStatus | null, cancellationCode: CancellationCode | null, cancellationReason: string | null, lines: Array<{ quantity: number, lineTotal: string | null, product: { name: string } | null }> } };

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

export const InStockProductsDocument = new TypedDocumentString(`
    query InStockProducts($first: Int!) {
  products(first: $first, filter: {inStock: true}) {
    edges {
      node {
        id
        name
        price
        stock
      }
    }
  }
}
    `) as unknown as TypedDocumentString<InStockProductsQuery, InStockProductsQueryVariables>;
export const PlaceOrderDocument = new TypedDocumentString(`
    mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    id
    status
    totalAmount
    paymentStatus
    cancellationCode
    cancellationReason
    lines {
      quantity
      lineTotal
      product {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PlaceOrderMutation, PlaceOrderMutationVariables>;