import { OrderSchema } from './Order.js';
import { OrderLineSchema } from './OrderLine.js';

export const entities = [OrderSchema, OrderLineSchema];
