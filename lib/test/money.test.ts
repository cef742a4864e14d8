import { BadInputError } from '../errors.js';
import { formatMoney, MAX_AMOUNT, normaliseMoney, parseMoney, sumMoney } from '../money.js';
import { Decimal } from '../scalars.js';

describe('money', () => {
  it('parses decimal strings into exact integer cents', () => {
    expect(parseMoney('19.99')).toBe(1999n);
    expect(parseMoney('19.9')).toBe(1990n);
    expect(parseMoney('7')).toBe(700n);
    expect(parseMoney(' 0.05 ')).toBe(5n);
    expect(parseMoney('-1.5')).toBe(-150n);
    expect(parseMoney('9999999999.99')).toBe(999_999_999_999n);
  });

  it('bounds amounts at 9999999999.99, what numeric(12,2) holds and the largest amount that parses', () => {
    expect(formatMoney(MAX_AMOUNT)).toBe('9999999999.99');
    expect(parseMoney(formatMoney(MAX_AMOUNT))).toBe(MAX_AMOUNT);
    expect(() => parseMoney(formatMoney(MAX_AMOUNT + 1n))).toThrow(BadInputError);
  });

  it('formats cents with exactly two fraction digits, negatives included', () => {
    expect(formatMoney(1990n)).toBe('19.90');
    expect(formatMoney(0n)).toBe('0.00');
    expect(formatMoney(5n)).toBe('0.05');
    expect(formatMoney(-5n)).toBe('-0.05');
    expect(formatMoney(-12345n)).toBe('-123.45');
  });

  it('normalises what PostgreSQL returns to two fraction digits', () => {
    expect(normaliseMoney('19.9')).toBe('19.90');
    expect(normaliseMoney('12.50')).toBe('12.50');
    expect(normaliseMoney('3')).toBe('3.00');
  });

  it('adds 0.1 and 0.2 to exactly 0.30, where floating point gives 0.30000000000000004', () => {
    const total = sumMoney([parseMoney('0.1'), parseMoney('0.2')]);
    expect(total).toBe(parseMoney('0.3'));
    expect(formatMoney(total)).toBe('0.30');
    expect(formatMoney(sumMoney([]))).toBe('0.00');
    expect(formatMoney(sumMoney(Array.from({ length: 10 }, () => parseMoney('0.10'))))).toBe('1.00');
  });

  it.each(['1.001', 'abc', '1e3', '', '.5', '1.', '1,00', '0x10', 'Infinity', '12345678901.00', '99999999999999999999'])(
    'refuses %j as BAD_USER_INPUT naming the field',
    (text) => {
      expect(() => parseMoney(text, 'price')).toThrow(BadInputError);
      expect(() => parseMoney(text, 'price')).toThrow(/^price must be/);
    },
  );
});

describe('the Decimal scalar', () => {
  it('answers every amount with exactly two fraction digits, whether or not it came written that way', () => {
    const written = ['0.00', '19.99', '-1.50', '9999999999.99', '19.9', '7', ' 0.05 ', '007.10', '-0.00', '-0'].map((value) => Decimal.serialize(value));
    expect(written).toEqual(['0.00', '19.99', '-1.50', '9999999999.99', '19.90', '7.00', '0.05', '7.10', '0.00', '0.00']);
    expect(Decimal.serialize(12.5)).toBe('12.50');
    expect(() => Decimal.serialize('12.345')).toThrow(BadInputError);
  });
});
