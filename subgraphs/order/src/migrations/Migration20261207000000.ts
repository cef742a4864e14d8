import { Migration } from '@mikro-orm/migrations';

/**
 * Every change a client can see of an order is announced on the `order_changed` channel, from the
 * database itself: whichever replica or code path writes the row (the saga, recovery, a cancel),
 * the announcement goes out when its transaction commits and never for one that rolls back. Every
 * order replica LISTENs (orderFeed.ts) and tells its subscribers. The lease columns change on every
 * recovery pass and say nothing to a client, so they announce nothing.
 */
export class Migration20261207000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function announce_order_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('order_changed', json_build_object('id', new.id, 'customerId', new.customer_id)::text);
  return null;
end $$;`);
    this.addSql(`create trigger customer_order_announce_insert after insert on "customer_order" for each row execute function announce_order_change();`);
    this.addSql(`create trigger customer_order_announce_update after update on "customer_order" for each row
  when (old.status is distinct from new.status or old.saga_step is distinct from new.saga_step or old.needs_refund is distinct from new.needs_refund
    or old.total_amount is distinct from new.total_amount or old.cancellation_code is distinct from new.cancellation_code
    or old.cancellation_reason is distinct from new.cancellation_reason)
  execute function announce_order_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists customer_order_announce_update on "customer_order";`);
    this.addSql(`drop trigger if exists customer_order_announce_insert on "customer_order";`);
    this.addSql(`drop function if exists announce_order_change();`);
  }
}
