import { Migration } from '@mikro-orm/migrations';

export class Migration20261204224316_attempt_media_check extends Migration {
  override name = 'Migration20261204224316_attempt_media_check';

  override up(): void | Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`interview_attempts__temp_alter\` (\`id\` integer not null primary key autoincrement, \`answer_id\` integer not null, \`number\` integer not null, \`object_key\` text not null, \`content_type\` text not null, \`kind\` text check (\`kind\` in ('video', 'audio')) not null, \`status\` text check (\`status\` in ('granted', 'checking', 'verified', 'rejected')) not null default 'granted', \`bytes\` bigint null, \`duration_ms\` integer null, \`flags\` json null, \`metrics\` json null, \`reject_reason\` text null, \`granted_at\` datetime not null, \`verified_at\` datetime null, \`late\` integer not null default false, \`uploaded_at\` datetime null, \`check_claimed_by\` text null, \`check_lease_until\` datetime null, constraint \`interview_attempts_answer_id_foreign\` foreign key (\`answer_id\`) references \`interview_answers\` (\`id\`));`,
    );
    this.addSql(
      `insert into \`interview_attempts__temp_alter\` select \`id\`, \`answer_id\`, \`number\`, \`object_key\`, \`content_type\`, \`kind\`, \`status\`, \`bytes\`, \`duration_ms\`, \`flags\`, \`metrics\`, \`reject_reason\`, \`granted_at\`, \`verified_at\`, \`late\`, null as \`uploaded_at\`, null as \`check_claimed_by\`, null as \`check_lease_until\` from \`interview_attempts\`;`,
    );
    this.addSql(`drop table \`interview_attempts\`;`);
    this.addSql(`alter table \`interview_attempts__temp_alter\` rename to \`interview_attempts\`;`);
    this.addSql(
      `create index \`interview_attempts_answer_id_index\` on \`interview_attempts\` (\`answer_id\`);`,
    );
    this.addSql(
      `create unique index \`interview_attempts_object_key_unique\` on \`interview_attempts\` (\`object_key\`);`,
    );
    this.addSql(
      `create index \`interview_attempts_status_check_lease_until_index\` on \`interview_attempts\` (\`status\`, \`check_lease_until\`);`,
    );
    this.addSql(
      `create unique index \`interview_attempts_answer_id_number_unique\` on \`interview_attempts\` (\`answer_id\`, \`number\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }

  override down(): void | Promise<void> {
    // A recording still waiting for its check goes back to its upload (the candidate completes it again).
    this.addSql(`update \`interview_attempts\` set \`status\` = 'granted' where \`status\` = 'checking';`);
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`interview_attempts__temp_alter\` (\`id\` integer not null primary key autoincrement, \`answer_id\` INTEGER not null, \`number\` INTEGER not null, \`object_key\` TEXT not null, \`content_type\` TEXT not null, \`kind\` TEXT check (\`kind\` in ('video', 'audio')) not null, \`status\` TEXT check (\`status\` in ('granted', 'verified', 'rejected')) not null default 'granted', \`bytes\` bigint null, \`duration_ms\` INTEGER null, \`flags\` json null, \`metrics\` json null, \`reject_reason\` TEXT null, \`granted_at\` datetime not null, \`verified_at\` datetime null, \`late\` INTEGER not null default false, constraint \`interview_attempts_answer_id_foreign\` foreign key (\`answer_id\`) references \`interview_answers\` (\`id\`) on update no action on delete no action);`,
    );
    this.addSql(
      `insert into \`interview_attempts__temp_alter\` select \`id\`, \`answer_id\`, \`number\`, \`object_key\`, \`content_type\`, \`kind\`, \`status\`, \`bytes\`, \`duration_ms\`, \`flags\`, \`metrics\`, \`reject_reason\`, \`granted_at\`, \`verified_at\`, \`late\` from \`interview_attempts\`;`,
    );
    this.addSql(`drop table \`interview_attempts\`;`);
    this.addSql(`alter table \`interview_attempts__temp_alter\` rename to \`interview_attempts\`;`);
    this.addSql(
      `create unique index \`interview_attempts_answer_id_number_unique\` on \`interview_attempts\` (\`answer_id\`, \`number\`);`,
    );
    this.addSql(
      `create unique index \`interview_attempts_object_key_unique\` on \`interview_attempts\` (\`object_key\`);`,
    );
    this.addSql(
      `create index \`interview_attempts_answer_id_index\` on \`interview_attempts\` (\`answer_id\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }
}
