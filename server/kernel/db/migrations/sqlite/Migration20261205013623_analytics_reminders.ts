import { Migration } from '@mikro-orm/migrations';
import { analyticsRemindersDown, analyticsRemindersUp } from '../analyticsRemindersSql';

/**
 * The no-shows-by-reminder rollup: per booking, the reminders delivered and its outcome, and the
 * counts the report reads, kept exact by triggers and backfilled from the existing rows
 * (analyticsRemindersSql.ts).
 */
export class Migration20261205013623_analytics_reminders extends Migration {
  override name = 'Migration20261205013623_analytics_reminders';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`analytics_booking_reminders\` (\`booking_id\` integer not null primary key, \`job_id\` integer not null, \`day\` integer not null, \`source\` text not null, \`minutes\` text not null, \`channels\` text not null, \`outcome\` text not null, \`late\` integer not null);`,
    );

    this.addSql(
      `create table \`analytics_reminder_counts\` (\`grain\` text not null, \`day\` integer not null, \`job_id\` integer not null, \`source\` text not null, \`minutes\` text not null, \`channels\` text not null, \`outcome\` text not null, \`late\` integer not null, \`n\` integer not null, primary key (\`grain\`, \`day\`, \`job_id\`, \`source\`, \`minutes\`, \`channels\`, \`outcome\`, \`late\`));`,
    );
    // Triggers keep the rollup exact from here on; then the existing bookings are counted.
    for (const sql of analyticsRemindersUp('sqlite')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsRemindersDown()) this.addSql(sql);
    this.addSql(`drop table if exists \`analytics_booking_reminders\`;`);
    this.addSql(`drop table if exists \`analytics_reminder_counts\`;`);
  }
}
