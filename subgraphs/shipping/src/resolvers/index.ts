import { DateTime } from '../../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { Query } from './Query.js';
import { Shipment } from './Shipment.js';

export const resolvers: Resolvers = { DateTime, Query, Mutation, Order, Shipment };
