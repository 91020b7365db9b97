import { Migration } from '@mikro-orm/migrations';
import { analyticsReportScoresDown, analyticsReportScoresUp } from '../analyticsReportScoresSql';

/**
 * The scores of each application's latest interview report as rows (overall and each
 * competency), kept exact by triggers on interview_reports and backfilled from the existing
 * reports (analyticsReportScoresSql.ts): the closed-loop validity report sums them in SQL.
 */
export class Migration20261205022257_analytics_report_scores extends Migration {
  override name = 'Migration20261205022257_analytics_report_scores';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`analytics_report_scores\` (\`application_id\` integer not null, \`score_key\` text not null, \`score\` double not null, primary key (\`application_id\`, \`score_key\`));`,
    );
    // Triggers keep the rollup exact from here on; then the existing reports are read.
    for (const sql of analyticsReportScoresUp('sqlite')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsReportScoresDown()) this.addSql(sql);
    this.addSql(`drop table if exists \`analytics_report_scores\`;`);
  }
}
