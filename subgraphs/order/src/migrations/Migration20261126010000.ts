import { Migration } from '@mikro-orm/migrations';

/** A lease on an unfinished order, so that of several order-subgraph replicas recovering at
 *  once, exactly one drives each stuck order. */
export class Migration20261126010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "customer_order" add column "lease_owner" varchar(64) null, add column "lease_until" timestamptz(3) null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "customer_order" drop column "lease_owner", drop column "lease_until";');
  }
}
