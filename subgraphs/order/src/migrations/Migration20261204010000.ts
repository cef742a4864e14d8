import { Migration } from '@mikro-orm/migrations';

/**
 * Order history sorted by placed time or total, filtered by customer, status, product and placed
 * time, each combination read from an index in sort order (no sort of the whole filtered set).
 * A total sorts as 0 until the order is priced, hence the coalesce in the indexes and queries.
 * The product filter reads order_line, so each line carries copies of its order's customer,
 * placed time and total (written in the statements that write the order's): an index there can
 * then find a product's orders already in sort order. Both directions scan the same index.
 */
export class Migration20261204010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "order_line" add column "customer_id" text null, add column "placed_at" timestamptz(3) null, add column "order_total" numeric(12,2) null;');
    this.addSql(
      'update "order_line" l set "customer_id" = o."customer_id", "placed_at" = o."created_at", "order_total" = o."total_amount" from "customer_order" o where o."id" = l."order_id";',
    );
    this.addSql('alter table "order_line" alter column "customer_id" set not null, alter column "placed_at" set not null;');
    this.addSql('create index "customer_order_total" on "customer_order" ((coalesce("total_amount", 0)), "id");');
    this.addSql('create index "customer_order_customer_total" on "customer_order" ("customer_id", (coalesce("total_amount", 0)), "id");');
    this.addSql('create index "customer_order_status_total" on "customer_order" ("status", (coalesce("total_amount", 0)), "id");');
    this.addSql('create index "order_line_product_placed" on "order_line" ("product_id", "placed_at", "order_id");');
    this.addSql('create index "order_line_customer_product_placed" on "order_line" ("customer_id", "product_id", "placed_at", "order_id");');
    this.addSql('create index "order_line_product_total" on "order_line" ("product_id", (coalesce("order_total", 0)), "order_id");');
    this.addSql('create index "order_line_customer_product_total" on "order_line" ("customer_id", "product_id", (coalesce("order_total", 0)), "order_id");');
    // order_line_product_placed leads with product_id and serves every lookup this one did.
    this.addSql('drop index "order_line_product_id";');
  }

  override async down(): Promise<void> {
    this.addSql('create index "order_line_product_id" on "order_line" ("product_id");');
    for (const index of ['customer_order_total', 'customer_order_customer_total', 'customer_order_status_total']) this.addSql(`drop index "${index}";`);
    for (const index of ['order_line_product_placed', 'order_line_customer_product_placed', 'order_line_product_total', 'order_line_customer_product_total']) {
      this.addSql(`drop index "${index}";`);
    }
    this.addSql('alter table "order_line" drop column "customer_id", drop column "placed_at", drop column "order_total";');
  }
}
