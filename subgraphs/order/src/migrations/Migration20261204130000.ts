import { Migration } from '@mikro-orm/migrations';

/** CONFIRM moves from before SHIP to after it (the confirm batcher, saga/confirmBatcher.ts). An
 *  order left at the old CONFIRM is paid but not shipped yet: back at SHIP, it is shipped and then
 *  confirmed, where left at CONFIRM recovery would now finish it without its shipment. */
export class Migration20261204130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "customer_order" set "saga_step" = 'SHIP', "updated_at" = now() where "saga_step" = 'CONFIRM';`);
  }

  override async down(): Promise<void> {
    // An order at the new CONFIRM is shipped; the old saga's CONFIRM would ship it again, and
    // shipping creates one shipment per order whatever is asked: nothing to undo.
  }
}
