import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Order as OrderModel } from '../entities/Order.js';
import type { OrderLine as OrderLineModel } from '../entities/OrderLine.js';
import type { OrderConnection as OrderConnectionModel } from '../orderHistory.js';
import type { ProductReference as ProductReferenceModel } from '../resolvers/OrderLine.js';
import type { OrderContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 timestamp in UTC. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Money as a string with exactly two fraction digits, e.g. "39.98". */
  Decimal: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

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

/**
 * How many items match, counted no further than a limit, so the count costs what the limit allows
 * rather than what the history holds.
 */
export type Count = {
  __typename?: 'Count';
  /** The items counted: all of them when `precision` is EXACT, else the limit (there are at least this many). */
  count: Scalars['Int']['output'];
  /** EXACT when every match was counted; AT_LEAST when counting stopped at the limit. */
  precision: CountPrecision;
};

/** Whether a `Count` is the whole number of matches or a lower bound. */
export type CountPrecision =
  /** Counting stopped at the limit: there are at least `count` matches. */
  | 'AT_LEAST'
  /** Every match was counted. */
  | 'EXACT';

/**
 * A range of instants: `from` is inclusive, `to` exclusive, either may be left open. A `from` later
 * than `to` is a BAD_USER_INPUT error.
 */
export type DateTimeRange = {
  /** The earliest instant included. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** The first instant no longer included. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Internal (service credential): another subgraph changed something a client sees of this order
   * (shipping moved its shipment); its subscribers read it again. False when no such order exists.
   */
  announceOrderChange: Scalars['Boolean']['output'];
  /**
   * Cancels an order (owner or admin): refunds a paid one and puts its stock back. A paid order
   * whose shipment has left is refused with CONFLICT; while the shipping service cannot be asked,
   * the cancel is recorded, the answer is SERVICE_UNAVAILABLE, and it finishes once shipping
   * answers (unless the order ships first).
   */
  cancelOrder: Order;
  /** Places an order: reserves stock, charges, and returns the order PAID or CANCELLED. */
  placeOrder: Order;
};


export type MutationAnnounceOrderChangeArgs = {
  orderId: Scalars['ID']['input'];
};


export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};

/** A customer's order. Every accepted order is kept, also the cancelled ones. */
export type Order = {
  __typename?: 'Order';
  /** Why the order was cancelled. */
  cancellationCode?: Maybe<CancellationCode>;
  /** A human-readable reason, e.g. "Product 7 is out of stock". */
  cancellationReason?: Maybe<Scalars['String']['output']>;
  /** When the order was placed. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer who placed it (the token's sub). */
  customerId: Scalars['ID']['output'];
  /** Stable identifier. */
  id: Scalars['ID']['output'];
  /** The ordered lines, one per product. */
  lines: Array<OrderLine>;
  /** The payment's status, or null when no charge was attempted. */
  paymentStatus?: Maybe<PaymentStatus>;
  /** Where the order stands. */
  status: OrderStatus;
  /** Sum of the line totals; "0.00" when the order was never priced. */
  totalAmount: Scalars['Decimal']['output'];
  /** When the order last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A page of orders (Relay connection), in the order its query's `sort` asks for (newest first by default). */
export type OrderConnection = {
  __typename?: 'OrderConnection';
  /** How many orders match, counting no further than `limit` (1 to 100000, default 10000): `{ count: limit, precision: AT_LEAST }` when more match. Costs at most `limit` rows, however many orders there are. */
  count: Count;
  /** The orders of this page with their cursors. */
  edges: Array<OrderEdge>;
  /** Whether there are more pages. */
  pageInfo: PageInfo;
  /** How many orders match in all. Exact, and it reads every match: on a long history prefer `count`. */
  totalCount: Scalars['Int']['output'];
};


/** A page of orders (Relay connection), in the order its query's `sort` asks for (newest first by default). */
export type OrderConnectionCountArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** One order of a page. */
export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** Opaque position to pass as `after`. */
  cursor: Scalars['String']['output'];
  /** The order. */
  node: Order;
};

/** Admin filters for the orders list; all given filters apply together. */
export type OrderFilter = {
  /** Only this customer's orders. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Only orders placed in this range (createdAt). */
  placedAt?: InputMaybe<DateTimeRange>;
  /** Only orders with a line for this product. */
  productId?: InputMaybe<Scalars['ID']['input']>;
  /** Only orders in this status. */
  status?: InputMaybe<OrderStatus>;
};

/** One line of an order. */
export type OrderLine = {
  __typename?: 'OrderLine';
  /** unitPrice × quantity. */
  lineTotal?: Maybe<Scalars['Decimal']['output']>;
  /** The product, or null if it does not exist. */
  product?: Maybe<Product>;
  /** The ordered product's id. */
  productId: Scalars['ID']['output'];
  /** Units ordered. */
  quantity: Scalars['Int']['output'];
  /** Price snapshot taken when stock was reserved. */
  unitPrice?: Maybe<Scalars['Decimal']['output']>;
};

/** One line to order. */
export type OrderLineInput = {
  /** The product to order. */
  productId: Scalars['ID']['input'];
  /** 1 to 10,000 units. */
  quantity: Scalars['Int']['input'];
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

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge, to pass as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when another page follows this one. */
  hasNextPage: Scalars['Boolean']['output'];
};

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
  idempotencyKey: Scalars['String']['input'];
  /** 1 to 50 lines; lines for the same product are merged. */
  lines: Array<OrderLineInput>;
};

/**
 * Something a customer can order. Stock is owned here and changes only through admin
 * adjustments and the placeOrder saga's reservations.
 */
export type Product = {
  __typename?: 'Product';
  /** Stable identifier. */
  id: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * The caller's orders, newest first unless `sort` says otherwise: `first` (at most 100) after the
   * cursor `after`, only in `status`, only with a line for `productId`, only placed in `placedAt`.
   */
  myOrders: OrderConnection;
  /** One order: its owner or an admin sees it; anyone else gets null. */
  order?: Maybe<Order>;
  /**
   * Admin: all orders matching `filter`, newest first unless `sort` says otherwise; `first` (at most
   * 100) after the cursor `after`.
   */
  orders: OrderConnection;
};


export type QueryMyOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  placedAt?: InputMaybe<DateTimeRange>;
  productId?: InputMaybe<Scalars['ID']['input']>;
  sort?: InputMaybe<OrderSort>;
  status?: InputMaybe<OrderStatus>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<OrderSort>;
};

/** Ascending or descending. */
export type SortDirection =
  /** Smallest or oldest first. */
  | 'ASC'
  /** Largest or newest first. */
  | 'DESC';

/**
 * Live order tracking, served by the gateway over WebSocket (graphql-transport-ws) and multipart HTTP.
 * Each event is the whole selection, resolved across the subgraphs as the same query would be then.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * The signed-in customer's own orders: one event each time one of them changes (placed, paid,
   * shipped, delivered, cancelled, refunded), from the moment of subscribing.
   */
  myOrderUpdates: Order;
  /**
   * The order as it is now, then each time anything a client can see of it changes: its status,
   * payment, shipment or cancellation. The owner or an admin only; anyone else gets NOT_FOUND, as
   * for an order that does not exist.
   */
  orderUpdated: Order;
};


/**
 * Live order tracking, served by the gateway over WebSocket (graphql-transport-ws) and multipart HTTP.
 * Each event is the whole selection, resolved across the subgraphs as the same query would be then.
 */
export type SubscriptionOrderUpdatedArgs = {
  id: Scalars['ID']['input'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Order: Order;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CancellationCode: CancellationCode;
  Count: ResolverTypeWrapper<Count>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CountPrecision: CountPrecision;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DateTimeRange: DateTimeRange;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Order: ResolverTypeWrapper<OrderModel>;
  OrderConnection: ResolverTypeWrapper<OrderConnectionModel>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderFilter: OrderFilter;
  OrderLine: ResolverTypeWrapper<OrderLineModel>;
  OrderLineInput: OrderLineInput;
  OrderSort: OrderSort;
  OrderSortField: OrderSortField;
  OrderStatus: OrderStatus;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PaymentStatus: PaymentStatus;
  PlaceOrderInput: PlaceOrderInput;
  Product: ResolverTypeWrapper<ProductReferenceModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SortDirection: SortDirection;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Count: Count;
  Int: Scalars['Int']['output'];
  DateTime: Scalars['DateTime']['output'];
  DateTimeRange: DateTimeRange;
  Decimal: Scalars['Decimal']['output'];
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  ID: Scalars['ID']['output'];
  Order: OrderModel;
  OrderConnection: OrderConnectionModel;
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderFilter: OrderFilter;
  OrderLine: OrderLineModel;
  OrderLineInput: OrderLineInput;
  OrderSort: OrderSort;
  PageInfo: PageInfo;
  PlaceOrderInput: PlaceOrderInput;
  Product: ProductReferenceModel;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  String: Scalars['String']['output'];
}>;

export type InaccessibleDirectiveArgs = { };

export type InaccessibleDirectiveResolver<Result, Parent, ContextType = OrderContext, Args = InaccessibleDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type LinkDirectiveArgs = {
  import?: Maybe<Array<Maybe<Scalars['String']['input']>>>;
  url: Scalars['String']['input'];
};

export type LinkDirectiveResolver<Result, Parent, ContextType = OrderContext, Args = LinkDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ShareableDirectiveArgs = { };

export type ShareableDirectiveResolver<Result, Parent, ContextType = OrderContext, Args = ShareableDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CountResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Count'] = ResolversParentTypes['Count']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  precision?: Resolver<ResolversTypes['CountPrecision'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type MutationResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  announceOrderChange?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAnnounceOrderChangeArgs, 'orderId'>>;
  cancelOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'id'>>;
  placeOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
}>;

export type OrderResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cancellationCode?: Resolver<Maybe<ResolversTypes['CancellationCode']>, ParentType, ContextType>;
  cancellationReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['OrderLine']>, ParentType, ContextType>;
  paymentStatus?: Resolver<Maybe<ResolversTypes['PaymentStatus']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  totalAmount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Count'], ParentType, ContextType, RequireFields<OrderConnectionCountArgs, 'limit'>>;
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OrderEdgeResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type OrderLineResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = ResolversObject<{
  lineTotal?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPrice?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  myOrders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryMyOrdersArgs, 'first'>>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrdersArgs, 'first'>>;
}>;

export type SubscriptionResolvers<ContextType = OrderContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  myOrderUpdates?: SubscriptionResolver<ResolversTypes['Order'], "myOrderUpdates", ParentType, ContextType>;
  orderUpdated?: SubscriptionResolver<ResolversTypes['Order'], "orderUpdated", ParentType, ContextType, RequireFields<SubscriptionOrderUpdatedArgs, 'id'>>;
}>;

export type Resolvers<ContextType = OrderContext> = ResolversObject<{
  Count?: CountResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = OrderContext> = ResolversObject<{
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
}>;
