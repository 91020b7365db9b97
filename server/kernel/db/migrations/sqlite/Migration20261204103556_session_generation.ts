import { Migration } from '@mikro-orm/migrations';

export class Migration20261204103556_session_generation extends Migration {
  override name = 'Migration20261204103556_session_generation';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`candidates\` add column \`session_generation\` integer not null default 0;`);

    this.addSql(`alter table \`users\` add column \`session_generation\` integer not null default 0;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`candidates\` drop column \`session_generation\`;`);

    this.addSql(`alter table \`users\` drop column \`session_generation\`;`);
  }
}
