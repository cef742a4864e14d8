import { BadInputError } from './errors.js';

/** Money travels as a string with two fraction digits ("39.98") and is computed in integer
 *  cents (bigint), never in floating point. numeric(12,2) bounds it to 10 integer digits. */
export type Cents = bigint;

const MONEY_PATTERN = /^(-?)(\d{1,10})(?:\.(\d{1,2}))?$/;

/** The largest amount a numeric(12,2) column (a price, an order total, a payment) holds:
 *  9999999999.99, the most MONEY_PATTERN parses. */
export const MAX_AMOUNT: Cents = 999_999_999_999n;

export function parseMoney(text: string, field = 'amount'): Cents {
  const match = MONEY_PATTERN.exec(text.trim());
  if (!match) {
    throw new BadInputError(`${field} must be a decimal amount with at most two fraction digits, e.g. "19.99"`);
  }
  const [, sign, units, fraction = ''] = match;
  const cents = BigInt(units!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

export function formatMoney(cents: Cents): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const units = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${fraction}`;
}

/** Normalises what PostgreSQL returns for a numeric column ("12.5" or "12.50") to "12.50". */
export function normaliseMoney(text: string): string {
  return formatMoney(parseMoney(text));
}

export function sumMoney(amounts: Iterable<Cents>): Cents {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}
