import { Migration } from '@mikro-orm/migrations';
import { analyticsRemindersDown, analyticsRemindersUp } from '../analyticsRemindersSql';

/**
 * The no-shows-by-reminder rollup: per booking, the reminders delivered and its outcome, and the
 * counts the report reads, kept exact by triggers and backfilled from the existing rows
 * (analyticsRemindersSql.ts).
 */
export class Migration20261205013624_analytics_reminders extends Migration {
  override name = 'Migration20261205013624_analytics_reminders';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`analytics_booking_reminders\` (\`booking_id\` int unsigned not null, \`job_id\` int not null, \`day\` int not null, \`source\` varchar(32) not null, \`minutes\` varchar(191) not null, \`channels\` varchar(191) not null, \`outcome\` varchar(16) not null, \`late\` int not null, primary key (\`booking_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`analytics_reminder_counts\` (\`grain\` varchar(8) not null, \`day\` int unsigned not null, \`job_id\` int unsigned not null, \`source\` varchar(32) not null, \`minutes\` varchar(191) not null, \`channels\` varchar(191) not null, \`outcome\` varchar(16) not null, \`late\` int unsigned not null, \`n\` int not null, primary key (\`grain\`, \`day\`, \`job_id\`, \`source\`, \`minutes\`, \`channels\`, \`outcome\`, \`late\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    // Triggers keep the rollup exact from here on; then the existing bookings are counted.
    for (const sql of analyticsRemindersUp('mysql')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsRemindersDown()) this.addSql(sql);
    this.addSql(`drop table if exists \`analytics_booking_reminders\`;`);
    this.addSql(`drop table if exists \`analytics_reminder_counts\`;`);
  }
}
