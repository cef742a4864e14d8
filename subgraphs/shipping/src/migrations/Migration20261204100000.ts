import { Migration } from '@mikro-orm/migrations';

export class Migration20261204100000 extends Migration {
  override async up(): Promise<void> {
    // customer_id '' marks an order cancelled before its shipment was created (shipments.ts):
    // only that marker is CANCELLED without ever having been PENDING.
    this.addSql(`create table "shipment" (
      "id" uuid primary key default gen_random_uuid(),
      "order_id" varchar(64) not null,
      "customer_id" text not null,
      "status" text not null check ("status" in ('PENDING', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
      "carrier" varchar(100) null,
      "tracking_number" varchar(100) null,
      "shipped_at" timestamptz null,
      "delivered_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "shipment_order_id_unique" unique ("order_id"),
      constraint "shipment_marker_cancelled" check ("customer_id" <> '' or "status" = 'CANCELLED'),
      constraint "shipment_shipped_has_tracking" check ("status" not in ('SHIPPED', 'DELIVERED') or ("carrier" is not null and "tracking_number" is not null and "shipped_at" is not null))
    );`);
    this.addSql('create index "shipment_customer_id_index" on "shipment" ("customer_id");');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "shipment";');
  }
}
