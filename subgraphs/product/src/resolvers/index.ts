import { DateTime, Decimal } from '../../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers.js';
import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { Query } from './Query.js';
import { Reservation } from './Reservation.js';

export const resolvers: Resolvers = { DateTime, Decimal, Query, Mutation, Product, Reservation };
