import { Migration } from '@mikro-orm/migrations';

/** An order line holds the merged quantity of every line sent for its product: up to 50 lines
 *  of 10,000 each (contract rule 1), not only the 10,000 of one line. */
export class Migration20261126030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "order_line" drop constraint "order_line_quantity_check";');
    this.addSql('alter table "order_line" add constraint "order_line_quantity_check" check ("quantity" between 1 and 500000);');
  }

  override async down(): Promise<void> {
    // Fails while a merged line above 10,000 exists: such an order cannot be kept under the old rule.
    this.addSql('alter table "order_line" drop constraint "order_line_quantity_check";');
    this.addSql('alter table "order_line" add constraint "order_line_quantity_check" check ("quantity" between 1 and 10000);');
  }
}
