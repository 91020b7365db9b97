import { Migration } from '@mikro-orm/migrations';

export class Migration20261204180846_live_scorecards extends Migration {
  override name = 'Migration20261204180846_live_scorecards';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`live_scorecards\` (\`id\` integer not null primary key autoincrement, \`booking_id\` integer not null, \`application_id\` integer not null, \`job_id\` integer not null, \`rater_id\` integer not null, \`ratings\` json not null, \`notes\` text not null default '', \`status\` text check (\`status\` in ('draft', 'submitted')) not null default 'draft', \`submitted_at\` datetime null, \`edits_after_submit\` integer not null default 0, \`created_at\` datetime not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`live_scorecards_application_id_index\` on \`live_scorecards\` (\`application_id\`);`,
    );
    this.addSql(
      `create unique index \`live_scorecards_booking_id_rater_id_unique\` on \`live_scorecards\` (\`booking_id\`, \`rater_id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`live_scorecards\`;`);
  }
}
