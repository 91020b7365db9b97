import { Migration } from '@mikro-orm/migrations';

export class Migration20261122032845_retention extends Migration {
  override name = 'Migration20261122032845_retention';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`applications\` add \`purged_at\` datetime(3) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`applications\` drop column \`purged_at\`;`);
  }
}
