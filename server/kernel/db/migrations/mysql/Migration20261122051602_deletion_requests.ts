import { Migration } from '@mikro-orm/migrations';

export class Migration20261122051602_deletion_requests extends Migration {
  override name = 'Migration20261122051602_deletion_requests';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`deletion_requests\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int unsigned not null, \`requested_by\` varchar(40) not null, \`reason\` varchar(500) null, \`status\` enum('pending','done') not null default 'pending', \`active_key\` varchar(40) null, \`requested_at\` datetime(3) not null, \`due_by\` datetime(3) not null, \`completed_at\` datetime(3) null, \`summary\` json null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`deletion_requests\` add index \`deletion_requests_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`deletion_requests\` add unique \`deletion_requests_active_key_unique\` (\`active_key\`);`,
    );
    this.addSql(
      `alter table \`deletion_requests\` add index \`deletion_requests_status_due_by_index\` (\`status\`, \`due_by\`);`,
    );

    this.addSql(
      `alter table \`deletion_requests\` add constraint \`deletion_requests_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`deletion_requests\`;`);
  }
}
