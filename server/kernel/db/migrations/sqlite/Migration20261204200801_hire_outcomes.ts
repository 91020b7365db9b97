import { Migration } from '@mikro-orm/migrations';

export class Migration20261204200801_hire_outcomes extends Migration {
  override name = 'Migration20261204200801_hire_outcomes';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`hire_outcomes\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`dingtalk_user_id\` text null, \`status\` text check (\`status\` in ('probation', 'regular', 'left', 'not_found')) not null, \`probation_passed\` integer null, \`regular_at\` datetime null, \`left_at\` datetime null, \`performance_grade\` text null, \`performance_period\` text null, \`performance_score\` double null, \`synced_at\` datetime not null, constraint \`hire_outcomes_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`));`,
    );
    this.addSql(
      `create index \`hire_outcomes_application_id_index\` on \`hire_outcomes\` (\`application_id\`);`,
    );
    this.addSql(
      `create unique index \`hire_outcomes_application_id_unique\` on \`hire_outcomes\` (\`application_id\`);`,
    );

    this.addSql(
      `create table \`hire_outcome_syncs\` (\`id\` integer not null primary key autoincrement, \`status\` text check (\`status\` in ('requested', 'running', 'done', 'failed')) not null, \`requested_by_id\` integer null, \`requested_at\` datetime not null, \`started_at\` datetime null, \`finished_at\` datetime null, \`synced\` integer not null default 0, \`not_found\` integer not null default 0, \`error\` text null, constraint \`hire_outcome_syncs_requested_by_id_foreign\` foreign key (\`requested_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`hire_outcome_syncs_requested_by_id_index\` on \`hire_outcome_syncs\` (\`requested_by_id\`);`,
    );
    this.addSql(`create index \`hire_outcome_syncs_status_index\` on \`hire_outcome_syncs\` (\`status\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`hire_outcomes\`;`);
    this.addSql(`drop table if exists \`hire_outcome_syncs\`;`);
  }
}
