import { Migration } from '@mikro-orm/migrations';

export class Migration20261204224405_candidate_tags extends Migration {
  override name = 'Migration20261204224405_candidate_tags';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`candidate_tags\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`tag\` text not null, \`key\` text not null, \`created_by_id\` integer null, \`created_at\` datetime not null, constraint \`candidate_tags_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`) on delete cascade, constraint \`candidate_tags_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`candidate_tags_candidate_id_index\` on \`candidate_tags\` (\`candidate_id\`);`,
    );
    this.addSql(
      `create index \`candidate_tags_created_by_id_index\` on \`candidate_tags\` (\`created_by_id\`);`,
    );
    this.addSql(
      `create index \`candidate_tags_key_candidate_id_index\` on \`candidate_tags\` (\`key\`, \`candidate_id\`);`,
    );
    this.addSql(
      `create unique index \`candidate_tags_candidate_id_key_unique\` on \`candidate_tags\` (\`candidate_id\`, \`key\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`candidate_tags\`;`);
  }
}
