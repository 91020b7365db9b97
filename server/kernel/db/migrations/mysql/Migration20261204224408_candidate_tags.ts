import { Migration } from '@mikro-orm/migrations';

export class Migration20261204224408_candidate_tags extends Migration {
  override name = 'Migration20261204224408_candidate_tags';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`candidate_tags\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int unsigned not null, \`tag\` varchar(40) not null, \`key\` varchar(80) not null, \`created_by_id\` int unsigned null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`candidate_tags\` add index \`candidate_tags_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`candidate_tags\` add index \`candidate_tags_created_by_id_index\` (\`created_by_id\`);`,
    );
    this.addSql(
      `alter table \`candidate_tags\` add index \`candidate_tags_key_candidate_id_index\` (\`key\`, \`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`candidate_tags\` add unique \`candidate_tags_candidate_id_key_unique\` (\`candidate_id\`, \`key\`);`,
    );

    this.addSql(
      `alter table \`candidate_tags\` add constraint \`candidate_tags_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`) on delete cascade;`,
    );
    this.addSql(
      `alter table \`candidate_tags\` add constraint \`candidate_tags_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`candidate_tags\`;`);
  }
}
