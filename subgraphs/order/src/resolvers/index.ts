import { DateTime, Decimal } from '../../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { OrderLine } from './OrderLine.js';
import { Query } from './Query.js';
import { Subscription } from './Subscription.js';

export const resolvers: Resolvers = { DateTime, Decimal, Query, Mutation, Subscription, Order, OrderLine };
