import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../bundle.js';

export const EXAMPLES_DIR = join(REPO_ROOT, 'gateway/playground/examples');

/** The example operations the playground opens with, one tab each. The .graphql files are
 *  checked against schema/api.graphql by the schema check, so they cannot drift from the API. */
const EXAMPLES: { file: string; variables: Record<string, unknown> }[] = [
  { file: 'browse-products.graphql', variables: { search: 'coffee', first: 5 } },
  { file: 'place-order.graphql', variables: { input: { idempotencyKey: 'playground-order-1', lines: [{ productId: '1', quantity: 2 }] } } },
  { file: 'read-order.graphql', variables: { id: 'paste the id that PlaceOrder returned' } },
  { file: 'order-page.graphql', variables: { id: 'paste the id that PlaceOrder returned' } },
  { file: 'my-orders.graphql', variables: { first: 10, sort: { field: 'PLACED_AT', direction: 'DESC' } } },
  { file: 'cancel-order.graphql', variables: { id: 'paste the id that PlaceOrder returned', reason: 'Changed my mind' } },
  { file: 'track-order.graphql', variables: { id: 'paste the id that PlaceOrder returned' } },
  { file: 'ship-shipment.graphql', variables: { id: 'paste the shipment id that ReadOrder returned', carrier: 'DHL', trackingNumber: 'JD014600006281' } },
];

export interface ExampleOperation {
  query: string;
  variables: string;
}

export function loadExamples(): ExampleOperation[] {
  return EXAMPLES.map(({ file, variables }) => ({
    query: readFileSync(join(EXAMPLES_DIR, file), 'utf8'),
    variables: JSON.stringify(variables, null, 2),
  }));
}
