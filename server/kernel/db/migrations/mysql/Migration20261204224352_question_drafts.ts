import { Migration } from '@mikro-orm/migrations';

export class Migration20261204224352_question_drafts extends Migration {
  override name = 'Migration20261204224352_question_drafts';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`question_drafts\` (\`id\` int unsigned not null auto_increment primary key, \`job_id\` int unsigned not null, \`batch\` varchar(36) not null, \`kind\` enum('behavioural','situational') not null, \`text\` text not null, \`reference_answers\` json not null, \`competencies\` json not null, \`indicators\` json not null, \`language\` varchar(5) not null, \`source\` enum('rules','llm') not null, \`rules_version\` varchar(40) not null, \`llm\` json null, \`status\` enum('proposed','approved','discarded') not null default 'proposed', \`edited\` tinyint(1) not null default false, \`bank_question_id\` int unsigned null, \`created_by_id\` int unsigned null, \`decided_by_id\` int unsigned null, \`decided_at\` datetime(3) null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`question_drafts\` add index \`question_drafts_job_id_index\` (\`job_id\`);`);
    this.addSql(
      `alter table \`question_drafts\` add index \`question_drafts_bank_question_id_index\` (\`bank_question_id\`);`,
    );
    this.addSql(
      `alter table \`question_drafts\` add unique \`question_drafts_bank_question_id_unique\` (\`bank_question_id\`);`,
    );
    this.addSql(
      `alter table \`question_drafts\` add index \`question_drafts_created_by_id_index\` (\`created_by_id\`);`,
    );
    this.addSql(
      `alter table \`question_drafts\` add index \`question_drafts_decided_by_id_index\` (\`decided_by_id\`);`,
    );
    this.addSql(
      `alter table \`question_drafts\` add index \`question_drafts_job_id_status_index\` (\`job_id\`, \`status\`);`,
    );

    this.addSql(
      `alter table \`question_drafts\` add constraint \`question_drafts_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`question_drafts\` add constraint \`question_drafts_bank_question_id_foreign\` foreign key (\`bank_question_id\`) references \`bank_questions\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`question_drafts\` add constraint \`question_drafts_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`question_drafts\` add constraint \`question_drafts_decided_by_id_foreign\` foreign key (\`decided_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`question_drafts\`;`);
  }
}
