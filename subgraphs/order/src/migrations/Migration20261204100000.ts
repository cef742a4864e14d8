import { Migration } from '@mikro-orm/migrations';

/** SHIP: a paid order whose shipment is still to be created, so recovery finds it like any other
 *  unfinished step (the customer_order_unfinished index covers it: saga_step <> 'DONE'). */
export class Migration20261204100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "customer_order" drop constraint "customer_order_saga_step_check";');
    this.addSql(`alter table "customer_order" add constraint "customer_order_saga_step_check" check ("saga_step" in ('RESERVE', 'CHARGE', 'CONFIRM', 'SHIP', 'COMPENSATE', 'DONE'));`);
  }

  override async down(): Promise<void> {
    // Fails while an order is at SHIP: finish its shipment first.
    this.addSql('alter table "customer_order" drop constraint "customer_order_saga_step_check";');
    this.addSql(`alter table "customer_order" add constraint "customer_order_saga_step_check" check ("saga_step" in ('RESERVE', 'CHARGE', 'CONFIRM', 'COMPENSATE', 'DONE'));`);
  }
}
