import { Migration } from '@mikro-orm/migrations';

/** A customer id is the token's subject, any non-empty string stored as is: no length limit. */
export class Migration20261126040000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "payment" alter column "customer_id" type text;');
  }

  override async down(): Promise<void> {
    // Fails while a customer id longer than 200 characters is stored.
    this.addSql('alter table "payment" alter column "customer_id" type varchar(200);');
  }
}
