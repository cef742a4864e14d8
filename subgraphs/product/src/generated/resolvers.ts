import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Product as ProductModel } from '../entities/Product.js';
import type { ProductConnection as ProductConnectionModel } from '../catalog.js';
import type { ReservationResult as ReservationResultModel } from '../inventory.js';
import type { ProductContext } from '../context.js';
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

/** A new product. price > 0, stock >= 0, sku unique. */
export type CreateProductInput = {
  /** Optional description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Display name. */
  name: Scalars['String']['input'];
  /** Unit price, greater than zero. */
  price: Scalars['Decimal']['input'];
  /** Unique stock-keeping unit. */
  sku: Scalars['String']['input'];
  /** Initial stock, zero or more. */
  stock: Scalars['Int']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Admin: adds to or takes from stock; stock never goes below 0. */
  adjustStock: Product;
  /** Internal (service credential): marks an order's reservation as sold. Idempotent per order. */
  confirmReservation: Reservation;
  /** Internal (service credential): marks many orders' reservations as sold in one statement, at most 500 per call (BAD_USER_INPUT over). Idempotent; one answer per distinct order id, in the order asked. */
  confirmReservations: Array<ReservationConfirmation>;
  /** Admin: adds a product to the catalog. */
  createProduct: Product;
  /** Internal (service credential): puts an order's reserved stock back. Idempotent per order. */
  releaseStock: Reservation;
  /** Internal (service credential): reserves every line of an order or none. Idempotent per order. */
  reserveStock: Reservation;
  /** Admin: changes a product's name, description or price. */
  updateProduct: Product;
};


export type MutationAdjustStockArgs = {
  delta: Scalars['Int']['input'];
  id: Scalars['ID']['input'];
};


export type MutationConfirmReservationArgs = {
  orderId: Scalars['ID']['input'];
};


export type MutationConfirmReservationsArgs = {
  orderIds: Array<Scalars['ID']['input']>;
};


export type MutationCreateProductArgs = {
  input: CreateProductInput;
};


export type MutationReleaseStockArgs = {
  orderId: Scalars['ID']['input'];
};


export type MutationReserveStockArgs = {
  lines: Array<ReservationLineInput>;
  orderId: Scalars['ID']['input'];
};


export type MutationUpdateProductArgs = {
  id: Scalars['ID']['input'];
  input: UpdateProductInput;
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge, to pass as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when another page follows this one. */
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * Something a customer can order. Stock is owned here and changes only through admin
 * adjustments and the placeOrder saga's reservations.
 */
export type Product = {
  __typename?: 'Product';
  /** When the product was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Longer text shown on the product page. */
  description?: Maybe<Scalars['String']['output']>;
  /** Stable identifier. */
  id: Scalars['ID']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
  /** Current unit price. */
  price: Scalars['Decimal']['output'];
  /** Stock-keeping unit, unique across the catalog. */
  sku: Scalars['String']['output'];
  /** Units available to order now. */
  stock: Scalars['Int']['output'];
  /** When the product last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A page of products (Relay connection). */
export type ProductConnection = {
  __typename?: 'ProductConnection';
  /** How many products match, counting no further than `limit` (1 to 100000, default 10000): `{ count: limit, precision: AT_LEAST }` when more match. Costs at most `limit` rows, however many products there are. */
  count: Count;
  /** The products of this page with their cursors. */
  edges: Array<ProductEdge>;
  /** Whether there are more pages. */
  pageInfo: PageInfo;
  /** How many products match the filter in all. Exact, and it reads every match: on a large catalog prefer `count`. */
  totalCount: Scalars['Int']['output'];
};


/** A page of products (Relay connection). */
export type ProductConnectionCountArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** One product of a page. */
export type ProductEdge = {
  __typename?: 'ProductEdge';
  /** Opaque position to pass as `after`. */
  cursor: Scalars['String']['output'];
  /** The product. */
  node: Product;
};

/** Filters for the products list. Both conditions must hold when both are given. */
export type ProductFilter = {
  /** true: only products with stock > 0; false: only products with stock 0. */
  inStock?: InputMaybe<Scalars['Boolean']['input']>;
  /** Case-insensitive substring of the name, sku or description. */
  search?: InputMaybe<Scalars['String']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** One product by id, or null when it does not exist. */
  product?: Maybe<Product>;
  /** Products in catalog order. `first` is capped at 100. */
  products: ProductConnection;
};


export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Internal: the outcome of reserve, release or confirm for one order. */
export type Reservation = {
  __typename?: 'Reservation';
  /** Internal, like its type: the reserved lines with their price snapshots. */
  lines: Array<ReservedLine>;
  orderId: Scalars['ID']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  /** Internal, like its type: why the reservation was rejected, when it was. */
  rejection?: Maybe<ReservationRejection>;
  /** Internal, like its type: where the reservation stands. */
  status: ReservationStatus;
};

/**
 * Internal: what confirming one order's reservation in a batch came to. A reservation that cannot be
 * confirmed (RELEASED, REJECTED) or an order with none is reported here, not as an error of the call.
 */
export type ReservationConfirmation = {
  __typename?: 'ReservationConfirmation';
  /** True when the reservation is CONFIRMED now, by this call or an earlier one. */
  confirmed: Scalars['Boolean']['output'];
  orderId: Scalars['ID']['output'];
  /** Why it was not confirmed. */
  reason?: Maybe<Scalars['String']['output']>;
  /** Internal, like its type: where the reservation stands; null when the order has none. */
  status?: Maybe<ReservationStatus>;
};

/** Internal: one line of a reservation request. */
export type ReservationLineInput = {
  productId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
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

/** Internal: a reserved line with its price snapshot. */
export type ReservedLine = {
  __typename?: 'ReservedLine';
  productId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  unitPrice: Scalars['Decimal']['output'];
};

/** Changes to a product; omitted fields stay as they are. */
export type UpdateProductInput = {
  /** New description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** New display name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New unit price, greater than zero. */
  price?: InputMaybe<Scalars['Decimal']['input']>;
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
  Product: Product;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Count: ResolverTypeWrapper<Count>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CountPrecision: CountPrecision;
  CreateProductInput: CreateProductInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Product: ResolverTypeWrapper<ProductModel>;
  ProductConnection: ResolverTypeWrapper<ProductConnectionModel>;
  ProductEdge: ResolverTypeWrapper<Omit<ProductEdge, 'node'> & { node: ResolversTypes['Product'] }>;
  ProductFilter: ProductFilter;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Reservation: ResolverTypeWrapper<ReservationResultModel>;
  ReservationConfirmation: ResolverTypeWrapper<ReservationConfirmation>;
  ReservationLineInput: ReservationLineInput;
  ReservationRejection: ReservationRejection;
  ReservationStatus: ReservationStatus;
  ReservedLine: ResolverTypeWrapper<ReservedLine>;
  UpdateProductInput: UpdateProductInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Count: Count;
  Int: Scalars['Int']['output'];
  CreateProductInput: CreateProductInput;
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Product: ProductModel;
  ProductConnection: ProductConnectionModel;
  ProductEdge: Omit<ProductEdge, 'node'> & { node: ResolversParentTypes['Product'] };
  ProductFilter: ProductFilter;
  Query: Record<PropertyKey, never>;
  Reservation: ReservationResultModel;
  ReservationConfirmation: ReservationConfirmation;
  ReservationLineInput: ReservationLineInput;
  ReservedLine: ReservedLine;
  UpdateProductInput: UpdateProductInput;
  String: Scalars['String']['output'];
}>;

export type InaccessibleDirectiveArgs = { };

export type InaccessibleDirectiveResolver<Result, Parent, ContextType = ProductContext, Args = InaccessibleDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type LinkDirectiveArgs = {
  import?: Maybe<Array<Maybe<Scalars['String']['input']>>>;
  url: Scalars['String']['input'];
};

export type LinkDirectiveResolver<Result, Parent, ContextType = ProductContext, Args = LinkDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ShareableDirectiveArgs = { };

export type ShareableDirectiveResolver<Result, Parent, ContextType = ProductContext, Args = ShareableDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CountResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['Count'] = ResolversParentTypes['Count']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  precision?: Resolver<ResolversTypes['CountPrecision'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type MutationResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  adjustStock?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationAdjustStockArgs, 'delta' | 'id'>>;
  confirmReservation?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationConfirmReservationArgs, 'orderId'>>;
  confirmReservations?: Resolver<Array<ResolversTypes['ReservationConfirmation']>, ParentType, ContextType, RequireFields<MutationConfirmReservationsArgs, 'orderIds'>>;
  createProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationCreateProductArgs, 'input'>>;
  releaseStock?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationReleaseStockArgs, 'orderId'>>;
  reserveStock?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationReserveStockArgs, 'lines' | 'orderId'>>;
  updateProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationUpdateProductArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type ProductConnectionResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Count'], ParentType, ContextType, RequireFields<ProductConnectionCountArgs, 'limit'>>;
  edges?: Resolver<Array<ResolversTypes['ProductEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductEdgeResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['ProductEdge'] = ResolversParentTypes['ProductEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'id'>>;
  products?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, RequireFields<QueryProductsArgs, 'first'>>;
}>;

export type ReservationResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['Reservation'] = ResolversParentTypes['Reservation']> = ResolversObject<{
  lines?: Resolver<Array<ResolversTypes['ReservedLine']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  rejection?: Resolver<Maybe<ResolversTypes['ReservationRejection']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReservationStatus'], ParentType, ContextType>;
}>;

export type ReservationConfirmationResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['ReservationConfirmation'] = ResolversParentTypes['ReservationConfirmation']> = ResolversObject<{
  confirmed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['ReservationStatus']>, ParentType, ContextType>;
}>;

export type ReservedLineResolvers<ContextType = ProductContext, ParentType extends ResolversParentTypes['ReservedLine'] = ResolversParentTypes['ReservedLine']> = ResolversObject<{
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ProductContext> = ResolversObject<{
  Count?: CountResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductEdge?: ProductEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Reservation?: ReservationResolvers<ContextType>;
  ReservationConfirmation?: ReservationConfirmationResolvers<ContextType>;
  ReservedLine?: ReservedLineResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ProductContext> = ResolversObject<{
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
}>;
