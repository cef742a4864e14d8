import { OrderSchema } from './Order.js';
import { OrderLineSchema } from './OrderLine.js';
import { PlaceOrderAllowanceSchema } from './PlaceOrderAllowance.js';

export const entities = [OrderSchema, OrderLineSchema, PlaceOrderAllowanceSchema];
