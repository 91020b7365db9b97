import { Migration } from '@mikro-orm/migrations';

/**
 * An index for the event consumers' claims: `(channel, recipient_id, status, due_at)`. A consumer's
 * claim then reads only its own due rows, in due order, and locks only what it takes; through
 * `(status, due_at)` it walked (and briefly locked) every due row of every consumer and message
 * (kernel/outbox/claim.ts).
 */
export class Migration20261206135450_outbox_consumer_index extends Migration {
  override name = 'Migration20261206135450_outbox_consumer_index';

  override up(): void | Promise<void> {
    this.addSql(
      'alter table `outbox` add index `outbox_channel_recipient_id_status_due_at_index` (`channel`, `recipient_id`, `status`, `due_at`);',
    );
  }

  override down(): void | Promise<void> {
    this.addSql('alter table `outbox` drop index `outbox_channel_recipient_id_status_due_at_index`;');
  }
}
