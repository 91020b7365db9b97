import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140523_reminder_only extends Migration {
  override name = 'Migration20261204140523_reminder_only';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`bookings\` add column \`reminder_only\` integer not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`bookings\` drop column \`reminder_only\`;`);
  }
}
