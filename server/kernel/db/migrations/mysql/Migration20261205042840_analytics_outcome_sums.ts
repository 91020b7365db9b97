import { Migration } from '@mikro-orm/migrations';
import { analyticsOutcomeSumsDown, analyticsOutcomeSumsUp } from '../analyticsOutcomeSumsSql';

/**
 * Closed-loop validity summed per job, day and category (analyticsOutcomeSumsSql.ts): each hire's
 * outcome and scores as rows, and their count, Σx, Σx², min and max per group, kept by triggers
 * on the report scores, hire outcomes, applications and self-identification, backfilled here.
 */
export class Migration20261205042840_analytics_outcome_sums extends Migration {
  override name = 'Migration20261205042840_analytics_outcome_sums';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`analytics_outcome_rows\` (\`application_id\` int unsigned not null, \`dim\` varchar(16) not null, \`cat\` varchar(191) not null, \`hire\` int unsigned not null, \`score_key\` varchar(191) not null, \`job_id\` int not null, \`day\` int not null, \`status\` varchar(16) not null, \`probation\` int not null, \`graded\` int not null, \`performance\` double not null, \`score\` double not null, primary key (\`application_id\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`analytics_outcome_rows\` add index \`analytics_outcome_rows_all\` (\`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`, \`score\`);`,
    );
    this.addSql(
      `alter table \`analytics_outcome_rows\` add index \`analytics_outcome_rows_job\` (\`job_id\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`, \`score\`);`,
    );
    this.addSql(
      `alter table \`analytics_outcome_rows\` add index \`analytics_outcome_rows_day\` (\`job_id\`, \`day\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`, \`score\`);`,
    );
    this.addSql(
      `create table \`analytics_outcome_sums\` (\`grain\` varchar(8) not null, \`day\` int unsigned not null, \`job_id\` int unsigned not null, \`dim\` varchar(16) not null, \`cat\` varchar(191) not null, \`hire\` int unsigned not null, \`score_key\` varchar(191) not null, \`status\` varchar(16) not null, \`probation\` int not null, \`graded\` int unsigned not null, \`performance\` double not null, \`n\` int not null, \`sx\` double not null, \`sxx\` double not null, \`x0\` double null, \`x1\` double null, primary key (\`grain\`, \`day\`, \`job_id\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    // Triggers keep the rollup exact from here on; then the existing hires are read.
    for (const sql of analyticsOutcomeSumsUp('mysql')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsOutcomeSumsDown()) this.addSql(sql);
    this.addSql(`drop table if exists \`analytics_outcome_rows\`;`);
    this.addSql(`drop table if exists \`analytics_outcome_sums\`;`);
  }
}
