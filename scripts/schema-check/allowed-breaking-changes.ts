import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from './report.js';

export const ALLOW_FILE = 'schema/allowed-breaking-changes.txt';

export interface Allowance {
  coordinate: string;
  reason: string;
  line: number;
}

/** Reads the allow file: one deliberate break per line, `<schema coordinate> <reason>`, lines
 *  starting with `#` are comments. A line without a reason is itself a failure: a break needs a why. */
export function readAllowances(root: string): { allowances: Allowance[]; problems: Finding[] } {
  const allowances: Allowance[] = [];
  const problems: Finding[] = [];
  const path = join(root, ALLOW_FILE);
  if (!existsSync(path)) return { allowances, problems };
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = text.trim();
      if (!line || line.startsWith('#')) return;
      const [, coordinate = '', reason = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
      if (!reason.trim()) {
        problems.push({
          status: 'fail',
          file: ALLOW_FILE,
          line: index + 1,
          coordinate,
          message: 'allows a break without a reason',
        });
      } else {
        allowances.push({ coordinate, reason: reason.trim(), line: index + 1 });
      }
    });
  return { allowances, problems };
}
