import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PUBLIC_ERROR_CODES } from '../errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The backquoted UPPER_CASE words of a piece of Markdown. */
function codesIn(markdown: string): string[] {
  return [...markdown.matchAll(/`([A-Z][A-Z_]+[A-Z])`/g)].map((match) => match[1]!);
}

describe('error codes', () => {
  it('are exactly those the contract and docs/error-codes.md name, no more and no fewer', () => {
    // CONTRACT.md is the repository's copy of the binding contract; where the original sits beside
    // the checkout (../shared, the team's machines), the copy must not have drifted from it.
    const contract = readFileSync(`${root}CONTRACT.md`, 'utf8');
    if (existsSync(`${root}../shared/CONTRACT.md`)) expect(contract).toBe(readFileSync(`${root}../shared/CONTRACT.md`, 'utf8'));
    const contractCodes = codesIn(contract.slice(contract.indexOf('- Errors carry `extensions.code`')).split(/\n(?:- |\n)/)[0]!);
    const documentedCodes = codesIn(readFileSync(`${root}docs/error-codes.md`, 'utf8'));
    expect(contractCodes).toContain('IDEMPOTENCY_CONFLICT');
    expect(new Set([...contractCodes, ...documentedCodes])).toEqual(new Set(PUBLIC_ERROR_CODES));
  });
});
