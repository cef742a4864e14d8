import { DateTime, Decimal } from '../../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { OrderLine } from './OrderLine.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { DateTime, Decimal, Query, Mutation, Order, OrderLine };
