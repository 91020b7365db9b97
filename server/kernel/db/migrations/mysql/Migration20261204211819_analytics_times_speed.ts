import { Migration } from '@mikro-orm/migrations';
import { analyticsDepartmentGrainDown, analyticsDepartmentGrainUp } from '../analyticsDepartmentGrainSql';

/**
 * The `times` dashboard at a million stage events: covering indexes for "waiting now" (open
 * applications' stage and stage_changed_at, company-wide, per job and by creation date), and the
 * `dep` grain of analytics_durations with its triggers (analyticsDepartmentGrainSql.ts).
 */
export class Migration20261204211819_analytics_times_speed extends Migration {
  override name = 'Migration20261204211819_analytics_times_speed';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`applications\` drop index \`applications_job_id_stage_index\`;`);
    this.addSql(
      `alter table \`applications\` add index \`applications_job_id_stage_stage_changed_at_index\` (\`job_id\`, \`stage\`, \`stage_changed_at\`);`,
    );
    this.addSql(
      `alter table \`applications\` add index \`applications_stage_stage_changed_at_index\` (\`stage\`, \`stage_changed_at\`);`,
    );
    this.addSql(
      `alter table \`applications\` add index \`applications_created_at_stage_stage_changed_at_index\` (\`created_at\`, \`stage\`, \`stage_changed_at\`);`,
    );
    for (const sql of analyticsDepartmentGrainUp('mysql')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsDepartmentGrainDown()) this.addSql(sql);
    this.addSql(
      `alter table \`applications\` drop index \`applications_job_id_stage_stage_changed_at_index\`;`,
    );
    this.addSql(`alter table \`applications\` drop index \`applications_stage_stage_changed_at_index\`;`);
    this.addSql(
      `alter table \`applications\` drop index \`applications_created_at_stage_stage_changed_at_index\`;`,
    );
    this.addSql(
      `alter table \`applications\` add index \`applications_job_id_stage_index\` (\`job_id\`, \`stage\`);`,
    );
  }
}
