import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140538_reminder_only extends Migration {
  override name = 'Migration20261204140538_reminder_only';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`bookings\` add \`reminder_only\` tinyint(1) not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`bookings\` drop column \`reminder_only\`;`);
  }
}
