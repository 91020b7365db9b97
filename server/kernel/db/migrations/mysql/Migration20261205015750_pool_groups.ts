import { Migration } from '@mikro-orm/migrations';

export class Migration20261205015750_pool_groups extends Migration {
  override name = 'Migration20261205015750_pool_groups';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`pool_keys\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int not null, \`hash\` varchar(32) not null, \`kind\` varchar(12) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`pool_keys\` add index \`pool_keys_hash_candidate_id_index\` (\`hash\`, \`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`pool_keys\` add unique \`pool_keys_candidate_id_hash_unique\` (\`candidate_id\`, \`hash\`);`,
    );

    this.addSql(
      `create table \`pool_members\` (\`candidate_id\` int unsigned not null, \`resume_id\` int not null, \`pool_until\` datetime(3) not null, \`group_key\` int not null, \`skills\` text not null, primary key (\`candidate_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`pool_members\` add unique \`pool_members_resume_id_unique\` (\`resume_id\`);`);
    this.addSql(
      `alter table \`pool_members\` add index \`pool_members_group_key_resume_id_index\` (\`group_key\`, \`resume_id\`);`,
    );
    this.addSql(`alter table \`pool_members\` add index \`pool_members_pool_until_index\` (\`pool_until\`);`);

    this.addSql(
      `create table \`pool_state\` (\`id\` int unsigned not null, \`version\` int not null, \`built_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    // Version 0: the groups were never built. The first read of the pool builds them from the
    // pooled résumés (resumes/poolGroups.ts), under this row's lock.
    this.addSql(
      `insert into \`pool_state\` (\`id\`, \`version\`, \`built_at\`) values (1, 0, '1970-01-01 00:00:00.000');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`pool_keys\`;`);
    this.addSql(`drop table if exists \`pool_members\`;`);
    this.addSql(`drop table if exists \`pool_state\`;`);
  }
}
