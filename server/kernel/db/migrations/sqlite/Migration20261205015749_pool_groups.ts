import { Migration } from '@mikro-orm/migrations';

export class Migration20261205015749_pool_groups extends Migration {
  override name = 'Migration20261205015749_pool_groups';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`pool_keys\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`hash\` text not null, \`kind\` text not null);`,
    );
    this.addSql(
      `create index \`pool_keys_hash_candidate_id_index\` on \`pool_keys\` (\`hash\`, \`candidate_id\`);`,
    );
    this.addSql(
      `create unique index \`pool_keys_candidate_id_hash_unique\` on \`pool_keys\` (\`candidate_id\`, \`hash\`);`,
    );

    this.addSql(
      `create table \`pool_members\` (\`candidate_id\` integer not null primary key, \`resume_id\` integer not null, \`pool_until\` datetime not null, \`group_key\` integer not null, \`skills\` text not null);`,
    );
    this.addSql(`create unique index \`pool_members_resume_id_unique\` on \`pool_members\` (\`resume_id\`);`);
    this.addSql(
      `create index \`pool_members_group_key_resume_id_index\` on \`pool_members\` (\`group_key\`, \`resume_id\`);`,
    );
    this.addSql(`create index \`pool_members_pool_until_index\` on \`pool_members\` (\`pool_until\`);`);

    this.addSql(
      `create table \`pool_state\` (\`id\` integer not null primary key, \`version\` integer not null, \`built_at\` datetime not null);`,
    );
    // Version 0: the groups were never built. The first read of the pool builds them from the
    // pooled résumés (resumes/poolGroups.ts), under this row's lock.
    this.addSql(`insert into \`pool_state\` (\`id\`, \`version\`, \`built_at\`) values (1, 0, 0);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`pool_keys\`;`);
    this.addSql(`drop table if exists \`pool_members\`;`);
    this.addSql(`drop table if exists \`pool_state\`;`);
  }
}
