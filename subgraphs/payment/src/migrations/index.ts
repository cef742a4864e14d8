import type { MigrationObject } from '../../../../lib/db.js';
import { Migration20261126000000 } from './Migration20261126000000.js';
import { Migration20261126040000 } from './Migration20261126040000.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261126000000', class: Migration20261126000000 },
  { name: 'Migration20261126040000', class: Migration20261126040000 },
];
