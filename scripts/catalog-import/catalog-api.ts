/** A product as the import sees it through the public API. */
export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  price: string;
  stock: number;
}

/** The API refused this one row (bad input, a sku taken meanwhile): the next row may still go. */
export class RowRefusedError extends Error {}

/** The import cannot go on at all: the gateway is unreachable, the token is refused, or the
 *  server failed. Going on would only repeat the failure for every row. */
export class ImportAbortedError extends Error {}

/** Codes with which the product subgraph refuses one product's change, not the whole import. */
const ROW_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']);
const PRODUCT_FIELDS = 'id sku name description price stock';

export interface CatalogApi {
  findBySku(sku: string): Promise<CatalogProduct | null>;
  create(input: { sku: string; name: string; description: string | null | undefined; price: string; stock: number }): Promise<CatalogProduct>;
  update(id: string, input: { name?: string; description?: string | null; price?: string }): Promise<CatalogProduct>;
  adjustStock(id: string, delta: number): Promise<CatalogProduct>;
}

/** The catalog through the supergraph's public operations, as an admin. `pageSize` is the page
 *  of search results scanned per request for a sku (100, the most the API gives). */
export function createCatalogApi(url: string, token: string, { pageSize = 100 }: { pageSize?: number } = {}): CatalogApi {
  const call = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    let response: Response;
    let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw new ImportAbortedError(`no answer from ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const [first] = body.errors ?? [];
    if (first) {
      const code = first.extensions?.code ?? 'no code';
      if (ROW_CODES.has(code)) throw new RowRefusedError(first.message);
      throw new ImportAbortedError(`${url} answered ${code}: ${first.message}`);
    }
    if (!response.ok || !body.data) throw new ImportAbortedError(`${url} answered HTTP ${response.status} without data`);
    return body.data;
  };

  return {
    async findBySku(sku) {
      // The search also matches names and descriptions, so the exact sku is picked out of the
      // matches, page by page.
      let after: string | null = null;
      for (;;) {
        const { products }: { products: { edges: { node: CatalogProduct }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await call(
          `query FindBySku($search: String!, $first: Int!, $after: String) {
            products(first: $first, after: $after, filter: { search: $search }) {
              edges { node { ${PRODUCT_FIELDS} } } pageInfo { hasNextPage endCursor }
            }
          }`,
          { search: sku, first: pageSize, after },
        );
        const match = products.edges.find(({ node }) => node.sku === sku);
        if (match) return match.node;
        if (!products.pageInfo.hasNextPage) return null;
        after = products.pageInfo.endCursor;
      }
    },
    async create(input) {
      const data = await call<{ createProduct: CatalogProduct }>(
        `mutation ImportCreate($input: CreateProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`,
        { input },
      );
      return data.createProduct;
    },
    async update(id, input) {
      const data = await call<{ updateProduct: CatalogProduct }>(
        `mutation ImportUpdate($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { ${PRODUCT_FIELDS} } }`,
        { id, input },
      );
      return data.updateProduct;
    },
    async adjustStock(id, delta) {
      const data = await call<{ adjustStock: CatalogProduct }>(
        `mutation ImportAdjustStock($id: ID!, $delta: Int!) { adjustStock(id: $id, delta: $delta) { ${PRODUCT_FIELDS} } }`,
        { id, delta },
      );
      return data.adjustStock;
    },
  };
}
