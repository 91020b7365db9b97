import { Migration } from '@mikro-orm/migrations';

export class Migration20261204182629_summary_rules extends Migration {
  override name = 'Migration20261204182629_summary_rules';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`summary_rules\` (\`id\` int unsigned not null auto_increment primary key, \`job_id\` int not null, \`ai_weight\` int not null, \`disagreement_points\` int not null, \`updated_by_id\` int null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`summary_rules\` add unique \`summary_rules_job_id_unique\` (\`job_id\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`summary_rules\`;`);
  }
}
