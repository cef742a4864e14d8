import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, NotFoundError } from '../../../lib/errors.js';
import { isProductId } from '../../../lib/ids.js';
import { formatMoney, parseMoney } from '../../../lib/money.js';
import {
  boundedCountQuery,
  decodeCursor,
  encodeCursor,
  lazyPage,
  pageSize,
  toBoundedCount,
  toConnection,
  type BoundedCount,
  type LazyPage,
} from '../../../lib/pagination.js';
import { everyField } from '../../../lib/db.js';
import { ProductSchema, type Product } from './entities/Product.js';

const MAX_STOCK = 1_000_000_000;
/** Named, so a missing column fails the read instead of answering null (see everyField). */
const PRODUCT_FIELDS = everyField(ProductSchema);

export interface ProductFilter {
  search?: string | null;
  inStock?: boolean | null;
}

/** Escapes LIKE wildcards so a search for "50%" or "a_b" matches those characters literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** A connection that reads only what a client selects (GraphQL calls a function-valued field):
 *  the page for `edges`/`pageInfo`, a COUNT over the catalog for `totalCount`, a bounded one for
 *  `count`, so a request for the count alone reads no product row. */
export type ProductConnection = LazyPage<Product> & {
  totalCount: () => Promise<number>;
  count: (args: { limit?: number | null }) => Promise<BoundedCount>;
};

/** A page of the catalog by keyset on id, optionally searched (name, SKU, description) and by stock. */
export async function listProducts(em: EntityManager, args: { first?: number | null; after?: string | null; filter?: ProductFilter | null; pageSelected?: boolean }): Promise<ProductConnection> {
  const size = pageSize(args.first);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const search = args.filter?.search?.trim();
  if (search) {
    if (search.length > 200) throw new BadInputError('filter.search is at most 200 characters');
    const pattern = likePattern(search);
    conditions.push('(p.name ilike ? or p.sku ilike ? or p.description ilike ?)');
    params.push(pattern, pattern, pattern);
  }
  if (args.filter?.inStock === true) conditions.push('p.stock > 0');
  if (args.filter?.inStock === false) conditions.push('p.stock = 0');
  const [after] = decodeCursor('product', args.after, 1) ?? [];
  if (after !== undefined && !isProductId(after)) throw new BadInputError('after is not a valid cursor');
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  // p.id, not id: the select list's id is text, and ordering by it would put 10 before 9.
  const keyset = after === undefined ? '' : `${where ? 'and' : 'where'} p.id > ?::bigint`;
  const page = await lazyPage(async () => {
    const rows = await em.execute<ProductRow[]>(`select ${PRODUCT_COLUMNS} from product p ${where} ${keyset} order by p.id limit ?`, [
      ...params,
      ...(after === undefined ? [] : [after]),
      size + 1,
    ]);
    return toConnection(rows.map(toProduct), size, 0, (product) => encodeCursor('product', [product.id]));
  }, args.pageSelected ?? true);
  let total: Promise<number> | undefined;
  const totalCount = () => (total ??= em.execute<{ count: string }[]>(`select count(*) as count from product p ${where}`, params).then(([row]) => Number(row?.count ?? 0)));
  const count = async ({ limit }: { limit?: number | null }) => {
    const bounded = boundedCountQuery(`select 1 from product p ${where}`, limit);
    const [row] = await em.execute<{ count: string }[]>(bounded.sql, [...params, bounded.limit]);
    return toBoundedCount(Number(row?.count ?? 0), bounded.cap);
  };
  return { ...page, totalCount, count };
}

/** Loads many products in one SELECT, in the order asked, with null for ids that name none. */
export async function findProductsByIds(em: EntityManager, ids: readonly string[]): Promise<(Product | null)[]> {
  const valid = ids.filter(isProductId);
  const rows = valid.length > 0 ? await em.execute<ProductRow[]>(`select ${PRODUCT_COLUMNS} from product where id in (?)`, [valid]) : [];
  const byId = new Map(rows.map((row) => [row.id, toProduct(row)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/*
 * Reads map rows themselves instead of going through em.find: nothing is written back from them,
 * and MikroORM's hydration and identity map were most of the CPU time of an _entities fetch for a
 * page of order lines. Writes still go through the entity.
 */
const PRODUCT_COLUMNS = 'id::text as id, sku, name, description, price, stock, created_at, updated_at';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  price: string;
  stock: number;
  // MikroORM's driver leaves timestamps as PostgreSQL's text.
  created_at: string;
  updated_at: string;
}

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: row.price,
    stock: row.stock,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  } as Product;
}

export interface CreateProductInput {
  sku: string;
  name: string;
  description?: string | null;
  price: string;
  stock: number;
}

export async function createProduct(em: EntityManager, input: CreateProductInput): Promise<Product> {
  const product = em.create(ProductSchema, {
    sku: requireText(input.sku, 'sku', 64),
    name: requireText(input.name, 'name', 200),
    description: optionalText(input.description, 'description', 10_000),
    price: positivePrice(input.price),
    stock: validStock(input.stock),
  });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(`A product with sku "${input.sku}" already exists`);
    throw error;
  }
  return product;
}

export interface UpdateProductInput {
  name?: string | null;
  description?: string | null;
  price?: string | null;
}

export async function updateProduct(em: EntityManager, id: string, input: UpdateProductInput): Promise<Product> {
  const product = isProductId(id) ? await em.findOne(ProductSchema, { id }, { fields: PRODUCT_FIELDS }) : null;
  if (!product) throw new NotFoundError(`Product ${id} does not exist`);
  if (input.name !== undefined && input.name !== null) product.name = requireText(input.name, 'name', 200);
  if (input.description !== undefined) product.description = optionalText(input.description, 'description', 10_000);
  if (input.price !== undefined && input.price !== null) product.price = positivePrice(input.price);
  await em.flush();
  return product;
}

/** One conditional UPDATE: concurrent adjustments and reservations can never take stock below 0. */
export async function adjustStock(em: EntityManager, id: string, delta: number): Promise<Product> {
  if (!Number.isInteger(delta) || Math.abs(delta) > MAX_STOCK) throw new BadInputError(`delta must be an integer between -${MAX_STOCK} and ${MAX_STOCK}`);
  if (!isProductId(id)) throw new NotFoundError(`Product ${id} does not exist`);
  const updated = await em.execute<{ id: string }[]>(
    'update product set stock = stock + ?, updated_at = now() where id = ? and stock + ? between 0 and ? returning id',
    [delta, id, delta, MAX_STOCK],
  );
  const product = await em.findOne(ProductSchema, { id }, { refresh: true, fields: PRODUCT_FIELDS });
  if (!product) throw new NotFoundError(`Product ${id} does not exist`);
  if (updated.length === 0) throw new BadInputError(`Stock of product ${id} is ${product.stock}; adjusting by ${delta} would take it out of range`);
  return product;
}

function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) throw new BadInputError(`${field} must be 1 to ${max} characters`);
  return text;
}

function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(value, field, max);
}

function positivePrice(price: string): string {
  const cents = parseMoney(price, 'price');
  if (cents <= 0n) throw new BadInputError('price must be greater than 0');
  return formatMoney(cents);
}

function validStock(stock: number): number {
  if (!Number.isInteger(stock) || stock < 0 || stock > MAX_STOCK) throw new BadInputError(`stock must be an integer between 0 and ${MAX_STOCK}`);
  return stock;
}
