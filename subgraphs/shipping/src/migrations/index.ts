import type { MigrationObject } from '../../../../lib/db.js';
import { Migration20261204100000 } from './Migration20261204100000.js';

export const migrations: MigrationObject[] = [{ name: 'Migration20261204100000', class: Migration20261204100000 }];
