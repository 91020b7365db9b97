import { Migration } from '@mikro-orm/migrations';

export class Migration20261204170407_analytics_stage_events extends Migration {
  override name = 'Migration20261204170407_analytics_stage_events';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`application_stage_events\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int not null, \`job_id\` int not null, \`from_stage\` varchar(32) null, \`to_stage\` varchar(32) not null, \`transition\` varchar(40) not null, \`at\` datetime(3) not null, \`from_since\` datetime(3) null, \`actor_kind\` enum('employee','candidate','system') not null, \`actor_id\` int null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`application_stage_events\` add index \`application_stage_events_job_id_at_index\` (\`job_id\`, \`at\`);`,
    );
    this.addSql(
      `alter table \`application_stage_events\` add index \`application_stage_events_application_id_to_stage_index\` (\`application_id\`, \`to_stage\`);`,
    );
    this.addSql(
      `alter table \`application_stage_events\` add index \`application_stage_events_to_stage_at_index\` (\`to_stage\`, \`at\`);`,
    );
    // Backfill: applications that moved before this table existed get one row at their last move
    // (the path they took is unknown, so from_stage is null), so dashboards show existing data.
    // Applications still invited never moved: the application row itself says when they came.
    this.addSql(
      `insert into \`application_stage_events\` (\`application_id\`, \`job_id\`, \`from_stage\`, \`to_stage\`, \`transition\`, \`at\`, \`from_since\`, \`actor_kind\`, \`actor_id\`) select \`id\`, \`job_id\`, null, \`stage\`, 'backfill', \`stage_changed_at\`, null, 'system', null from \`applications\` where \`stage\` <> 'invited';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`application_stage_events\`;`);
  }
}
