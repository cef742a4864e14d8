import { Migration } from '@mikro-orm/migrations';

export class Migration20261126000000 extends Migration {
  override async up(): Promise<void> {
    // A zero amount is allowed only on the FAILED marker left when an order is voided before
    // any charge arrived; every real charge is positive.
    this.addSql(`create table "payment" (
      "id" uuid primary key default gen_random_uuid(),
      "order_id" varchar(64) not null,
      "customer_id" varchar(200) not null,
      "amount" numeric(12,2) not null,
      "status" text not null check ("status" in ('PENDING', 'COMPLETED', 'FAILED', 'REFUNDED')),
      "failure_reason" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "payment_order_id_unique" unique ("order_id"),
      constraint "payment_amount_positive" check ("amount" > 0 or ("amount" = 0 and "status" = 'FAILED'))
    );`);
    this.addSql('create index "payment_customer_id_index" on "payment" ("customer_id");');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "payment";');
  }
}
