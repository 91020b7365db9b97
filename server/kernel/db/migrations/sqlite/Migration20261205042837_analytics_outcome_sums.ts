import { Migration } from '@mikro-orm/migrations';
import { analyticsOutcomeSumsDown, analyticsOutcomeSumsUp } from '../analyticsOutcomeSumsSql';

/**
 * Closed-loop validity summed per job, day and category (analyticsOutcomeSumsSql.ts): each hire's
 * outcome and scores as rows, and their count, Σx, Σx², min and max per group, kept by triggers
 * on the report scores, hire outcomes, applications and self-identification, backfilled here.
 */
export class Migration20261205042837_analytics_outcome_sums extends Migration {
  override name = 'Migration20261205042837_analytics_outcome_sums';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`analytics_outcome_rows\` (\`application_id\` integer not null, \`dim\` text not null, \`cat\` text not null, \`hire\` integer not null, \`score_key\` text not null, \`job_id\` integer not null, \`day\` integer not null, \`status\` text not null, \`probation\` integer not null, \`graded\` integer not null, \`performance\` double not null, \`score\` double not null, primary key (\`application_id\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`));`,
    );
    this.addSql(
      `create index \`analytics_outcome_rows_all\` on \`analytics_outcome_rows\` (\`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`, \`score\`);`,
    );
    this.addSql(
      `create index \`analytics_outcome_rows_job\` on \`analytics_outcome_rows\` (\`job_id\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`, \`score\`);`,
    );
    this.addSql(
      `create index \`analytics_outcome_rows_day\` on \`analytics_outcome_rows\` (\`job_id\`, \`day\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`, \`score\`);`,
    );
    this.addSql(
      `create table \`analytics_outcome_sums\` (\`grain\` text not null, \`day\` integer not null, \`job_id\` integer not null, \`dim\` text not null, \`cat\` text not null, \`hire\` integer not null, \`score_key\` text not null, \`status\` text not null, \`probation\` integer not null, \`graded\` integer not null, \`performance\` double not null, \`n\` integer not null, \`sx\` double not null, \`sxx\` double not null, \`x0\` double null, \`x1\` double null, primary key (\`grain\`, \`day\`, \`job_id\`, \`dim\`, \`cat\`, \`hire\`, \`score_key\`, \`status\`, \`probation\`, \`graded\`, \`performance\`));`,
    );
    // Triggers keep the rollup exact from here on; then the existing hires are read.
    for (const sql of analyticsOutcomeSumsUp('sqlite')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsOutcomeSumsDown()) this.addSql(sql);
    this.addSql(`drop table if exists \`analytics_outcome_rows\`;`);
    this.addSql(`drop table if exists \`analytics_outcome_sums\`;`);
  }
}
