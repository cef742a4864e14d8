import { Migration } from '@mikro-orm/migrations';

/** CANCEL_SHIPMENT: a PAID order whose cancel is recorded (its code and reason in the cancellation
 *  columns) before shipping is asked to cancel the shipment, so that a crash in between leaves
 *  recovery an unfinished order to finish rather than a paid order with a cancelled shipment. */
export class Migration20261204110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "customer_order" drop constraint "customer_order_saga_step_check";');
    this.addSql(
      `alter table "customer_order" add constraint "customer_order_saga_step_check" check ("saga_step" in ('RESERVE', 'CHARGE', 'CONFIRM', 'SHIP', 'CANCEL_SHIPMENT', 'COMPENSATE', 'DONE'));`,
    );
  }

  override async down(): Promise<void> {
    // Fails while a cancel is recorded: let recovery settle it first.
    this.addSql('alter table "customer_order" drop constraint "customer_order_saga_step_check";');
    this.addSql(`alter table "customer_order" add constraint "customer_order_saga_step_check" check ("saga_step" in ('RESERVE', 'CHARGE', 'CONFIRM', 'SHIP', 'COMPENSATE', 'DONE'));`);
  }
}
