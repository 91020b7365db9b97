import { Migration } from '@mikro-orm/migrations';

export class Migration20261204180855_live_scorecards extends Migration {
  override name = 'Migration20261204180855_live_scorecards';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`live_scorecards\` (\`id\` int unsigned not null auto_increment primary key, \`booking_id\` int not null, \`application_id\` int not null, \`job_id\` int not null, \`rater_id\` int not null, \`ratings\` json not null, \`notes\` text not null default (''), \`status\` enum('draft','submitted') not null default 'draft', \`submitted_at\` datetime(3) null, \`edits_after_submit\` int not null default 0, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`live_scorecards\` add index \`live_scorecards_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`live_scorecards\` add unique \`live_scorecards_booking_id_rater_id_unique\` (\`booking_id\`, \`rater_id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`live_scorecards\`;`);
  }
}
