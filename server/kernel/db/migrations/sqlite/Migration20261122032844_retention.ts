import { Migration } from '@mikro-orm/migrations';

export class Migration20261122032844_retention extends Migration {
  override name = 'Migration20261122032844_retention';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`applications\` add column \`purged_at\` datetime null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`applications\` drop column \`purged_at\`;`);
  }
}
