import { DateTime, Decimal } from '../../../../lib/scalars.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { OrderLine } from './OrderLine.js';
import { Query } from './Query.js';

export const resolvers = { DateTime, Decimal, Query, Mutation, Order, OrderLine };
