import { Migration } from '@mikro-orm/migrations';

/** One row per customer: how many placeOrder calls the current rate-limit window has seen. It
 *  lives beside the orders so every order replica, behind any number of gateways, counts the same. */
export class Migration20261204000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "place_order_allowance" ("customer_id" text not null primary key, "used" int not null, "window_ends_at" timestamptz not null);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table "place_order_allowance";');
  }
}
