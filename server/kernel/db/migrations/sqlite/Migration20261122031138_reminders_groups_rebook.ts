import { Migration } from '@mikro-orm/migrations';

export class Migration20261122031138_reminders_groups_rebook extends Migration {
  override name = 'Migration20261122031138_reminders_groups_rebook';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`rebook_link_uses\` (\`id\` integer not null primary key autoincrement, \`booking_id\` integer not null, \`used_at\` datetime not null, constraint \`rebook_link_uses_booking_id_foreign\` foreign key (\`booking_id\`) references \`bookings\` (\`id\`));`,
    );
    this.addSql(
      `create index \`rebook_link_uses_booking_id_index\` on \`rebook_link_uses\` (\`booking_id\`);`,
    );
    this.addSql(
      `create unique index \`rebook_link_uses_booking_id_unique\` on \`rebook_link_uses\` (\`booking_id\`);`,
    );

    this.addSql(`alter table \`job_rules\` add column \`hiring_group_conversation_id\` text null;`);

    this.addSql(`alter table \`plan_schedules\` add column \`reminder_offsets_minutes\` json null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`rebook_link_uses\`;`);

    this.addSql(`alter table \`job_rules\` drop column \`hiring_group_conversation_id\`;`);

    this.addSql(`alter table \`plan_schedules\` drop column \`reminder_offsets_minutes\`;`);
  }
}
