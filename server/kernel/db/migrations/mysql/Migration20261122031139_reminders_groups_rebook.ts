import { Migration } from '@mikro-orm/migrations';

export class Migration20261122031139_reminders_groups_rebook extends Migration {
  override name = 'Migration20261122031139_reminders_groups_rebook';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`rebook_link_uses\` (\`id\` int unsigned not null auto_increment primary key, \`booking_id\` int unsigned not null, \`used_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`rebook_link_uses\` add index \`rebook_link_uses_booking_id_index\` (\`booking_id\`);`,
    );
    this.addSql(
      `alter table \`rebook_link_uses\` add unique \`rebook_link_uses_booking_id_unique\` (\`booking_id\`);`,
    );

    this.addSql(`alter table \`job_rules\` add \`hiring_group_conversation_id\` varchar(64) null;`);

    this.addSql(`alter table \`plan_schedules\` add \`reminder_offsets_minutes\` json null;`);

    this.addSql(
      `alter table \`rebook_link_uses\` add constraint \`rebook_link_uses_booking_id_foreign\` foreign key (\`booking_id\`) references \`bookings\` (\`id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`rebook_link_uses\`;`);

    this.addSql(`alter table \`job_rules\` drop column \`hiring_group_conversation_id\`;`);

    this.addSql(`alter table \`plan_schedules\` drop column \`reminder_offsets_minutes\`;`);
  }
}
