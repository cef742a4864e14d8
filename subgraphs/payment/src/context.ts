import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import type { Payment } from './entities/Payment.js';
import { findPaymentsByIds, findPaymentsByOrderIds } from './payments.js';
import type { ProcessorConfig } from './processor.js';

export interface PaymentContext {
  em: EntityManager;
  caller: Caller;
  requestId: string;
  processor: ProcessorConfig;
  loaders: {
    paymentById: DataLoader<string, Payment | null>;
    paymentByOrderId: DataLoader<string, Payment | null>;
  };
}

/** Built for every request: its own EntityManager and DataLoaders, never shared between users. */
export function paymentContext(em: EntityManager, caller: Caller, requestId: string, processor: ProcessorConfig): PaymentContext {
  return {
    em,
    caller,
    requestId,
    processor,
    loaders: {
      paymentById: new DataLoader((ids) => findPaymentsByIds(em, ids), { maxBatchSize: 1000 }),
      paymentByOrderId: new DataLoader((orderIds) => findPaymentsByOrderIds(em, orderIds), { maxBatchSize: 1000 }),
    },
  };
}
