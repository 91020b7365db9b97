import { Migration } from '@mikro-orm/migrations';

export class Migration20261204052759_rate_limits extends Migration {
  override name = 'Migration20261204052759_rate_limits';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`rate_limit_buckets\` (\`bucket\` text not null, \`window_start\` datetime not null, \`hits\` integer not null, \`expires_at\` datetime not null, primary key (\`bucket\`, \`window_start\`));`,
    );
    this.addSql(
      `create index \`rate_limit_buckets_expires_at_index\` on \`rate_limit_buckets\` (\`expires_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`rate_limit_buckets\`;`);
  }
}
