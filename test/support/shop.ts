import { adminToken, customerToken } from './auth.js';
import { bearer, gql, type GraphQLResponse } from './graphql.js';

export const ORDER_FIELDS = `id customerId status totalAmount cancellationCode cancellationReason paymentStatus
  payment { amount status } lines { productId quantity unitPrice lineTotal product { id name stock } }`;

const PLACE = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;

/** A customer or admin talking to the gateway the way a frontend would. */
export class Shopper {
  private constructor(
    readonly url: string,
    readonly headers: Record<string, string>,
  ) {}

  static async customer(url: string, sub: string): Promise<Shopper> {
    return new Shopper(url, bearer(await customerToken(sub)));
  }

  static async admin(url: string, sub = 'admin-1'): Promise<Shopper> {
    return new Shopper(url, bearer(await adminToken(sub)));
  }

  static anonymous(url: string): Shopper {
    return new Shopper(url, {});
  }

  request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    return gql<T>(this.url, query, variables, this.headers);
  }

  placeOrder(lines: { productId: string; quantity: number }[], idempotencyKey = `key-${Math.random()}`) {
    return this.request(PLACE, { input: { idempotencyKey, lines } });
  }

  async createProduct(input: { sku?: string; name?: string; price: string; stock: number }): Promise<string> {
    const response = await this.request(`mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
      input: { sku: `SKU-${Math.random().toString(36).slice(2)}`, name: 'Test product', ...input },
    });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data.createProduct.id;
  }

  async stockOf(productId: string): Promise<number> {
    return (await this.request(`query($id: ID!) { product(id: $id) { stock } }`, { id: productId })).data.product.stock;
  }
}
