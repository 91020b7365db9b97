import { Migration } from '@mikro-orm/migrations';

/** An index for the event consumers' claims (see the MySQL migration of the same name). */
export class Migration20261206135448_outbox_consumer_index extends Migration {
  override name = 'Migration20261206135448_outbox_consumer_index';

  override up(): void | Promise<void> {
    this.addSql(
      'create index `outbox_channel_recipient_id_status_due_at_index` on `outbox` (`channel`, `recipient_id`, `status`, `due_at`);',
    );
  }

  override down(): void | Promise<void> {
    this.addSql('drop index `outbox_channel_recipient_id_status_due_at_index`;');
  }
}
