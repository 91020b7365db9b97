import { Migration } from '@mikro-orm/migrations';

export class Migration20261204224342_question_drafts extends Migration {
  override name = 'Migration20261204224342_question_drafts';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`question_drafts\` (\`id\` integer not null primary key autoincrement, \`job_id\` integer not null, \`batch\` text not null, \`kind\` text check (\`kind\` in ('behavioural', 'situational')) not null, \`text\` text not null, \`reference_answers\` json not null, \`competencies\` json not null, \`indicators\` json not null, \`language\` text not null, \`source\` text check (\`source\` in ('rules', 'llm')) not null, \`rules_version\` text not null, \`llm\` json null, \`status\` text check (\`status\` in ('proposed', 'approved', 'discarded')) not null default 'proposed', \`edited\` integer not null default false, \`bank_question_id\` integer null, \`created_by_id\` integer null, \`decided_by_id\` integer null, \`decided_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`question_drafts_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`), constraint \`question_drafts_bank_question_id_foreign\` foreign key (\`bank_question_id\`) references \`bank_questions\` (\`id\`) on delete set null, constraint \`question_drafts_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null, constraint \`question_drafts_decided_by_id_foreign\` foreign key (\`decided_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`question_drafts_job_id_index\` on \`question_drafts\` (\`job_id\`);`);
    this.addSql(
      `create index \`question_drafts_bank_question_id_index\` on \`question_drafts\` (\`bank_question_id\`);`,
    );
    this.addSql(
      `create unique index \`question_drafts_bank_question_id_unique\` on \`question_drafts\` (\`bank_question_id\`);`,
    );
    this.addSql(
      `create index \`question_drafts_created_by_id_index\` on \`question_drafts\` (\`created_by_id\`);`,
    );
    this.addSql(
      `create index \`question_drafts_decided_by_id_index\` on \`question_drafts\` (\`decided_by_id\`);`,
    );
    this.addSql(
      `create index \`question_drafts_job_id_status_index\` on \`question_drafts\` (\`job_id\`, \`status\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`question_drafts\`;`);
  }
}
