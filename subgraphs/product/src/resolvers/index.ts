import { DateTime, Decimal } from '../../../../lib/scalars.js';
import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { Query } from './Query.js';

export const resolvers = { DateTime, Decimal, Query, Mutation, Product };
