import { Migration } from '@mikro-orm/migrations';

export class Migration20261204170406_analytics_stage_events extends Migration {
  override name = 'Migration20261204170406_analytics_stage_events';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`application_stage_events\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`job_id\` integer not null, \`from_stage\` text null, \`to_stage\` text not null, \`transition\` text not null, \`at\` datetime not null, \`from_since\` datetime null, \`actor_kind\` text check (\`actor_kind\` in ('employee', 'candidate', 'system')) not null, \`actor_id\` integer null);`,
    );
    this.addSql(
      `create index \`application_stage_events_job_id_at_index\` on \`application_stage_events\` (\`job_id\`, \`at\`);`,
    );
    this.addSql(
      `create index \`application_stage_events_application_id_to_stage_index\` on \`application_stage_events\` (\`application_id\`, \`to_stage\`);`,
    );
    this.addSql(
      `create index \`application_stage_events_to_stage_at_index\` on \`application_stage_events\` (\`to_stage\`, \`at\`);`,
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
