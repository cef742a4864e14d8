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

/**
 * The order of a list of orders. Orders with equal values keep a stable order among themselves (by
 * id, in the same direction), so paging never skips or repeats one. A cursor is only valid with the
 * sort and filters it was made under; passing it with others is a BAD_USER_INPUT error.
 */
export type OrderSort = {
  /** Which way. */
  direction?: SortDirection;
  /** What to order by. */
  field?: OrderSortField;
};

/** What a list of orders is ordered by. */
export type OrderSortField =
  /** When the order was placed (createdAt). */
  | 'PLACED_AT'
  /** The order's totalAmount ("0.00" when never priced). */
  | 'TOTAL';

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

/** Ascending or descending. */
export type SortDirection =
  /** Smallest or oldest first. */
  | 'ASC'
  /** Largest or newest first. */
  | 'DESC';

export type StorefrontCancelOrderMutationVariables = Exact<{
  id: string;
}>;


export type StorefrontCancelOrderMutation = { cancelOrder: { id: string, status: OrderStatus, totalAmount: string, paymentStatus: PaymentStatus | null, shippingStatus: ShipmentStatus | null, cancellationCode: CancellationCode | null, cancellationReason: string | null, createdAt: string, shipment: { id: string, status: ShipmentStatus, carrier: string | null, trackingNumber: string | null, shippedAt: string | null, deliveredAt: string | null } | null, lines: Array<{ productId: string, quantity: number, unitPrice: string | null, lineTotal: string | null, product: { id: string, name: string } | null }> } };

export type StorefrontMyOrdersQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  sort?: OrderSort | null | undefined;
}>;


export type StorefrontMyOrdersQuery = { myOrders: { totalCount: number, edges: Array<{ node: { id: string, status: OrderStatus, totalAmount: string, paymentStatus: PaymentStatus | null, shippingStatus: ShipmentStatus | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type StorefrontOrderQueryVariables = Exact<{
  id: string;
}>;


export type StorefrontOrderQuery = { order: { id: string, status: OrderStatus, totalAmount: string, paymentStatus: PaymentStatus | null, shippingStatus: ShipmentStatus | null, cancellationCode: CancellationCode | null, cancellationReason: string | null, createdAt: string, shipment: { id: string, status: ShipmentStatus, carrier: string | null, trackingNumber: string | null, shippedAt: string | null, deliveredAt: string | null } | null, lines: Array<{ productId: string, quantity: number, unitPrice: string | null, lineTotal: string | null, product: { id: string, name: string } | null }> } | null };

export type OrderDetailsFragment = { id: string, status: OrderStatus, totalAmount: string, paymentStatus: PaymentStatus | null, shippingStatus: ShipmentStatus | null, cancellationCode: CancellationCode | null, cancellationReason: string | null, createdAt: string, shipment: { id: string, status: ShipmentStatus, carrier: string | null, trackingNumber: string | null, shippedAt: string | null, deliveredAt: string | null } | null, lines: Array<{ productId: string, quantity: number, unitPrice: string | null, lineTotal: string | null, product: { id: string, name: string } | null }> };

export type StorefrontOrderUpdatesSubscriptionVariables = Exact<{
  id: string;
}>;


export type StorefrontOrderUpdatesSubscription = { orderUpdated: { id: string, status: OrderStatus, totalAmount: string, paymentStatus: PaymentStatus | null, shippingStatus: ShipmentStatus | null, cancellationCode: CancellationCode | null, cancellationReason: string | null, createdAt: string, shipment: { id: string, status: ShipmentStatus, carrier: string | null, trackingNumber: string | null, shippedAt: string | null, deliveredAt: string | null } | null, lines: Array<{ productId: string, quantity: number, unitPrice: string | null, lineTotal: string | null, product: { id: string, name: string } | null }> } };

export type StorefrontPlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
}>;


export type StorefrontPlaceOrderMutation = { placeOrder: { id: string, status: OrderStatus, totalAmount: string, paymentStatus: PaymentStatus | null, shippingStatus: ShipmentStatus | null, cancellationCode: CancellationCode | null, cancellationReason: string | null, createdAt: string, shipment: { id: string, status: ShipmentStatus, carrier: string | null, trackingNumber: string | null, shippedAt: string | null, deliveredAt: string | null } | null, lines: Array<{ productId: string, quantity: number, unitPrice: string | null, lineTotal: string | null, product: { id: string, name: string } | null }> } };

export type StorefrontProductsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type StorefrontProductsQuery = { products: { totalCount: number, edges: Array<{ node: { id: string, name: string, description: string | null, price: string, stock: number } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

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
export const OrderDetailsFragmentDoc = new TypedDocumentString(`
    fragment OrderDetails on Order {
  id
  status
  totalAmount
  paymentStatus
  shippingStatus
  shipment {
    id
    status
    carrier
    trackingNumber
    shippedAt
    deliveredAt
  }
  cancellationCode
  cancellationReason
  createdAt
  lines {
    productId
    quantity
    unitPrice
    lineTotal
    product {
      id
      name
    }
  }
}
    `, {"fragmentName":"OrderDetails"}) as unknown as TypedDocumentString<OrderDetailsFragment, unknown>;
export const StorefrontCancelOrderDocument = new TypedDocumentString(`
    mutation StorefrontCancelOrder($id: ID!) {
  cancelOrder(id: $id) {
    ...OrderDetails
  }
}
    fragment OrderDetails on Order {
  id
  status
  totalAmount
  paymentStatus
  shippingStatus
  shipment {
    id
    status
    carrier
    trackingNumber
    shippedAt
    deliveredAt
  }
  cancellationCode
  cancellationReason
  createdAt
  lines {
    productId
    quantity
    unitPrice
    lineTotal
    product {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<StorefrontCancelOrderMutation, StorefrontCancelOrderMutationVariables>;
export const StorefrontMyOrdersDocument = new TypedDocumentString(`
    query StorefrontMyOrders($first: Int!, $after: String, $sort: OrderSort) {
  myOrders(first: $first, after: $after, sort: $sort) {
    totalCount
    edges {
      node {
        id
        status
        totalAmount
        paymentStatus
        shippingStatus
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<StorefrontMyOrdersQuery, StorefrontMyOrdersQueryVariables>;
export const StorefrontOrderDocument = new TypedDocumentString(`
    query StorefrontOrder($id: ID!) {
  order(id: $id) {
    ...OrderDetails
  }
}
    fragment OrderDetails on Order {
  id
  status
  totalAmount
  paymentStatus
  shippingStatus
  shipment {
    id
    status
    carrier
    trackingNumber
    shippedAt
    deliveredAt
  }
  cancellationCode
  cancellationReason
  createdAt
  lines {
    productId
    quantity
    unitPrice
    lineTotal
    product {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<StorefrontOrderQuery, StorefrontOrderQueryVariables>;
export const StorefrontOrderUpdatesDocument = new TypedDocumentString(`
    subscription StorefrontOrderUpdates($id: ID!) {
  orderUpdated(id: $id) {
    ...OrderDetails
  }
}
    fragment OrderDetails on Order {
  id
  status
  totalAmount
  paymentStatus
  shippingStatus
  shipment {
    id
    status
    carrier
    trackingNumber
    shippedAt
    deliveredAt
  }
  cancellationCode
  cancellationReason
  createdAt
  lines {
    productId
    quantity
    unitPrice
    lineTotal
    product {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<StorefrontOrderUpdatesSubscription, StorefrontOrderUpdatesSubscriptionVariables>;
export const StorefrontPlaceOrderDocument = new TypedDocumentString(`
    mutation StorefrontPlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    ...OrderDetails
  }
}
    fragment OrderDetails on Order {
  id
  status
  totalAmount
  paymentStatus
  shippingStatus
  shipment {
    id
    status
    carrier
    trackingNumber
    shippedAt
    deliveredAt
  }
  cancellationCode
  cancellationReason
  createdAt
  lines {
    productId
    quantity
    unitPrice
    lineTotal
    product {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<StorefrontPlaceOrderMutation, StorefrontPlaceOrderMutationVariables>;
export const StorefrontProductsDocument = new TypedDocumentString(`
    query StorefrontProducts($first: Int!, $after: String, $search: String) {
  products(first: $first, after: $after, filter: {search: $search}) {
    totalCount
    edges {
      node {
        id
        name
        description
        price
        stock
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<StorefrontProductsQuery, StorefrontProductsQueryVariables>;