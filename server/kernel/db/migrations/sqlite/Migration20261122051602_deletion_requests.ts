import { Migration } from '@mikro-orm/migrations';

export class Migration20261122051602_deletion_requests extends Migration {
  override name = 'Migration20261122051602_deletion_requests';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`deletion_requests\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`requested_by\` text not null, \`reason\` text null, \`status\` text check (\`status\` in ('pending', 'done')) not null default 'pending', \`active_key\` text null, \`requested_at\` datetime not null, \`due_by\` datetime not null, \`completed_at\` datetime null, \`summary\` json null, constraint \`deletion_requests_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`));`,
    );
    this.addSql(
      `create index \`deletion_requests_candidate_id_index\` on \`deletion_requests\` (\`candidate_id\`);`,
    );
    this.addSql(
      `create unique index \`deletion_requests_active_key_unique\` on \`deletion_requests\` (\`active_key\`);`,
    );
    this.addSql(
      `create index \`deletion_requests_status_due_by_index\` on \`deletion_requests\` (\`status\`, \`due_by\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`deletion_requests\`;`);
  }
}
