import { Migration } from '@mikro-orm/migrations';

export class Migration20261204102735_take_mode extends Migration {
  override name = 'Migration20261204102735_take_mode';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`plan_schedules\` add column \`take_mode\` text check (\`take_mode\` in ('anytime', 'booked')) not null default 'anytime';`);
    // Plans that exist already keep the booked window they were set up with; new plans answer any time.
    this.addSql(`update \`plan_schedules\` set \`take_mode\` = 'booked';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`plan_schedules\` drop column \`take_mode\`;`);
  }
}
