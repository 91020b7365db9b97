import { Migration } from '@mikro-orm/migrations';

export class Migration20261204052803_rate_limits extends Migration {
  override name = 'Migration20261204052803_rate_limits';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`rate_limit_buckets\` (\`bucket\` varchar(160) not null, \`window_start\` datetime(3) not null, \`hits\` int not null, \`expires_at\` datetime(3) not null, primary key (\`bucket\`, \`window_start\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`rate_limit_buckets\` add index \`rate_limit_buckets_expires_at_index\` (\`expires_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`rate_limit_buckets\`;`);
  }
}
