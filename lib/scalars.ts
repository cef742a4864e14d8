import { GraphQLScalarType, Kind } from 'graphql';
import { BadInputError } from './errors.js';
import { formatMoney, parseMoney } from './money.js';

/** What formatMoney writes, which is also what PostgreSQL returns for a numeric(12,2) column. */
const CANONICAL_MONEY = /^-?(?:0|[1-9]\d{0,9})\.\d\d$/;

export const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  description: 'Money as a string with exactly two fraction digits, e.g. "39.98".',
  // Most values are already written the one way formatMoney would write them: passed as they are,
  // rather than through two bigint conversions per value of a page.
  serialize: (value) => (typeof value === 'string' && CANONICAL_MONEY.test(value) && value !== '-0.00' ? value : formatMoney(parseMoney(String(value)))),
  parseValue: (value) => {
    if (typeof value !== 'string') throw new BadInputError('Decimal values are strings such as "19.99"');
    return formatMoney(parseMoney(value));
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new BadInputError('Decimal values are strings such as "19.99"');
    return formatMoney(parseMoney(ast.value));
  },
});

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new BadInputError('DateTime must be an ISO-8601 timestamp');
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new BadInputError('DateTime must be an ISO-8601 timestamp');
    return date;
  },
});
