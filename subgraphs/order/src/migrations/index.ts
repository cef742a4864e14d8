import type { MigrationObject } from '../../../../lib/db.js';
import { Migration20261125000000 } from './Migration20261125000000.js';
import { Migration20261126010000 } from './Migration20261126010000.js';
import { Migration20261126030000 } from './Migration20261126030000.js';
import { Migration20261126040000 } from './Migration20261126040000.js';
import { Migration20261204000000 } from './Migration20261204000000.js';
import { Migration20261204010000 } from './Migration20261204010000.js';
import { Migration20261204100000 } from './Migration20261204100000.js';
import { Migration20261204110000 } from './Migration20261204110000.js';
import { Migration20261204130000 } from './Migration20261204130000.js';
import { Migration20261207000000 } from './Migration20261207000000.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000', class: Migration20261125000000 },
  { name: 'Migration20261126010000', class: Migration20261126010000 },
  { name: 'Migration20261126030000', class: Migration20261126030000 },
  { name: 'Migration20261126040000', class: Migration20261126040000 },
  { name: 'Migration20261204000000', class: Migration20261204000000 },
  { name: 'Migration20261204010000', class: Migration20261204010000 },
  { name: 'Migration20261204100000', class: Migration20261204100000 },
  { name: 'Migration20261204110000', class: Migration20261204110000 },
  { name: 'Migration20261204130000', class: Migration20261204130000 },
  { name: 'Migration20261207000000', class: Migration20261207000000 },
];
