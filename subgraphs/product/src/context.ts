import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import type { Product } from './entities/Product.js';
import { findProductsByIds } from './catalog.js';

export interface ProductContext {
  em: EntityManager;
  caller: Caller;
  requestId: string;
  loaders: { product: DataLoader<string, Product | null> };
}

/** Built for every request: its own EntityManager and DataLoaders, never shared between users. */
export function productContext(em: EntityManager, caller: Caller, requestId: string): ProductContext {
  return {
    em,
    caller,
    requestId,
    loaders: { product: new DataLoader((ids) => findProductsByIds(em, ids), { maxBatchSize: 1000 }) },
  };
}
