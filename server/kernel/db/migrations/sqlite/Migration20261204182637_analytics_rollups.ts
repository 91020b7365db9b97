import { Migration } from '@mikro-orm/migrations';
import { analyticsRollupsDown, analyticsRollupsUp } from '../analyticsRollupsSql';

export class Migration20261204182637_analytics_rollups extends Migration {
  override name = 'Migration20261204182637_analytics_rollups';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`analytics_application_counts\` (\`grain\` text not null, \`day\` integer not null, \`job_id\` integer not null, \`source\` text not null, \`decile\` integer not null, \`stage\` text not null, \`reach\` integer not null, \`n\` integer not null, primary key (\`grain\`, \`day\`, \`job_id\`, \`source\`, \`decile\`, \`stage\`, \`reach\`));`,
    );

    this.addSql(
      `create table \`analytics_durations\` (\`grain\` text not null, \`job_id\` integer not null, \`day\` integer not null, \`source\` text not null, \`stage\` text not null, \`bucket\` bigint not null, \`n\` integer not null, primary key (\`grain\`, \`job_id\`, \`day\`, \`source\`, \`stage\`, \`bucket\`));`,
    );
    // Triggers keep the rollups exact from here on; then the existing rows are counted.
    for (const sql of analyticsRollupsUp('sqlite')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsRollupsDown()) this.addSql(sql);
    this.addSql(`drop table if exists \`analytics_application_counts\`;`);
    this.addSql(`drop table if exists \`analytics_durations\`;`);
  }
}
