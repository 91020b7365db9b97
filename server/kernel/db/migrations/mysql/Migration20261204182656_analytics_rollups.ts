import { Migration } from '@mikro-orm/migrations';
import { analyticsRollupsDown, analyticsRollupsUp } from '../analyticsRollupsSql';

export class Migration20261204182656_analytics_rollups extends Migration {
  override name = 'Migration20261204182656_analytics_rollups';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`analytics_application_counts\` (\`grain\` varchar(8) not null, \`day\` int unsigned not null, \`job_id\` int unsigned not null, \`source\` varchar(32) not null, \`decile\` int not null, \`stage\` varchar(32) not null, \`reach\` int unsigned not null, \`n\` int not null, primary key (\`grain\`, \`day\`, \`job_id\`, \`source\`, \`decile\`, \`stage\`, \`reach\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`analytics_durations\` (\`grain\` varchar(8) not null, \`job_id\` int unsigned not null, \`day\` int unsigned not null, \`source\` varchar(32) not null, \`stage\` varchar(32) not null, \`bucket\` bigint unsigned not null, \`n\` int not null, primary key (\`grain\`, \`job_id\`, \`day\`, \`source\`, \`stage\`, \`bucket\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    // Triggers keep the rollups exact from here on; then the existing rows are counted.
    for (const sql of analyticsRollupsUp('mysql')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsRollupsDown()) this.addSql(sql);
    this.addSql(`drop table if exists \`analytics_application_counts\`;`);
    this.addSql(`drop table if exists \`analytics_durations\`;`);
  }
}
