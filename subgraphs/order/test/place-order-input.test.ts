import { BadInputError } from '../../../lib/errors.js';
import { mergeLines, validatePlaceOrder, type OrderLineRequest } from '../src/placeOrder.js';

const line = (productId: string, quantity: number): OrderLineRequest => ({ productId, quantity });
const order = (lines: OrderLineRequest[], idempotencyKey = 'key-1') => ({ idempotencyKey, lines });

describe('mergeLines', () => {
  it('adds the quantities of lines for the same product, keeping the position of its first line', () => {
    expect(mergeLines([line('7', 1), line('3', 2), line('7', 4), line('3', 1), line('9', 5)])).toEqual([line('7', 5), line('3', 3), line('9', 5)]);
  });

  it('leaves lines for different products as they are, and the lines passed in untouched', () => {
    const lines = [line('1', 2), line('2', 3)];
    expect(mergeLines(lines)).toEqual([line('1', 2), line('2', 3)]);
    expect(mergeLines([line('1', 2), line('1', 3)])).toEqual([line('1', 5)]);
    expect(lines).toEqual([line('1', 2), line('2', 3)]);
  });
});

describe('validatePlaceOrder (contract placeOrder rule 1)', () => {
  it('returns the key as sent and the lines merged', () => {
    expect(validatePlaceOrder(order([line('1', 2), line('2', 1), line('1', 3)], ' spaced key '))).toEqual(order([line('1', 5), line('2', 1)], ' spaced key '));
  });

  it('accepts the limits themselves: 50 lines, quantities 1 and 10,000, a 128-character key', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => line(String(i + 1), i === 0 ? 10_000 : 1));
    expect(validatePlaceOrder(order(fifty, 'k'.repeat(128))).lines).toHaveLength(50);
  });

  it('lets merged lines go past 10,000, up to 50 x 10,000', () => {
    expect(validatePlaceOrder(order([line('4', 6_000), line('4', 6_000)])).lines).toEqual([line('4', 12_000)]);
    expect(validatePlaceOrder(order(Array.from({ length: 50 }, () => line('4', 10_000)))).lines).toEqual([line('4', 500_000)]);
  });

  it('counts the key in characters, not UTF-16 units', () => {
    expect(validatePlaceOrder(order([line('1', 1)], '🧾'.repeat(128))).idempotencyKey).toBe('🧾'.repeat(128));
    expect(() => validatePlaceOrder(order([line('1', 1)], '🧾'.repeat(129)))).toThrow(/idempotencyKey/);
  });

  it('takes any canonical product id up to the largest bigint', () => {
    expect(validatePlaceOrder(order([line('9223372036854775807', 1)])).lines).toEqual([line('9223372036854775807', 1)]);
  });

  it.each([
    ['an empty key', order([line('1', 1)], '')],
    ['a 129-character key', order([line('1', 1)], 'k'.repeat(129))],
    ['no lines', order([])],
    ['51 lines', order(Array.from({ length: 51 }, (_, i) => line(String(i + 1), 1)))],
    ['quantity 0', order([line('1', 0)])],
    ['a negative quantity', order([line('1', -1)])],
    ['quantity 10,001', order([line('1', 10_001)])],
    ['a fractional quantity', order([line('1', 1.5)])],
    ['a product id that is not a number', order([line('abc', 1)])],
    ['product id 0', order([line('0', 1)])],
    ['a product id with a leading zero', order([line('01', 1)])],
    ['a product id beyond bigint', order([line('9223372036854775808', 1)])],
    ['one bad line among good ones', order([line('1', 1), line('2', 10_001)])],
  ])('refuses %s as BAD_USER_INPUT', (_name, input) => {
    expect(() => validatePlaceOrder(input)).toThrow(BadInputError);
  });
});
