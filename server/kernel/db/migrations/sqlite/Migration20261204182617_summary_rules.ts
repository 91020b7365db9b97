import { Migration } from '@mikro-orm/migrations';

export class Migration20261204182617_summary_rules extends Migration {
  override name = 'Migration20261204182617_summary_rules';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`summary_rules\` (\`id\` integer not null primary key autoincrement, \`job_id\` integer not null, \`ai_weight\` integer not null, \`disagreement_points\` integer not null, \`updated_by_id\` integer null, \`updated_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`summary_rules_job_id_unique\` on \`summary_rules\` (\`job_id\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`summary_rules\`;`);
  }
}
