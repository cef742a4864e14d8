import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "customer_order" (
      "id" uuid primary key,
      "customer_id" varchar(200) not null,
      "idempotency_key" varchar(128) not null,
      "request_fingerprint" varchar(64) not null,
      "status" text not null check ("status" in ('PENDING', 'PAID', 'CANCELLED')),
      "saga_step" text not null check ("saga_step" in ('RESERVE', 'CHARGE', 'CONFIRM', 'COMPENSATE', 'DONE')),
      "needs_refund" boolean not null default false,
      "needs_release" boolean not null default false,
      "total_amount" numeric(12,2) null,
      "cancellation_code" varchar(32) null,
      "cancellation_reason" text null,
      "created_at" timestamptz(3) not null default now(),
      "updated_at" timestamptz(3) not null default now(),
      constraint "customer_order_idempotency" unique ("customer_id", "idempotency_key")
    );`);
    this.addSql('create index "customer_order_newest" on "customer_order" ("created_at" desc, "id" desc);');
    this.addSql('create index "customer_order_customer_newest" on "customer_order" ("customer_id", "created_at" desc, "id" desc);');
    this.addSql('create index "customer_order_status_newest" on "customer_order" ("status", "created_at" desc, "id" desc);');
    this.addSql(`create index "customer_order_unfinished" on "customer_order" ("updated_at") where "saga_step" <> 'DONE';`);
    this.addSql(`create table "order_line" (
      "order_id" uuid not null references "customer_order" ("id") on delete cascade,
      "product_id" varchar(64) not null,
      "position" integer not null,
      "quantity" integer not null check ("quantity" between 1 and 10000),
      "unit_price" numeric(12,2) null,
      primary key ("order_id", "product_id")
    );`);
    this.addSql('create index "order_line_product_id" on "order_line" ("product_id");');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "order_line";');
    this.addSql('drop table if exists "customer_order";');
  }
}
