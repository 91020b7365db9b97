import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140645_jobs_question_bank extends Migration {
  override name = 'Migration20261204140645_jobs_question_bank';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`job_interviewers\` (\`id\` integer not null primary key autoincrement, \`job_id\` integer not null, \`user_id\` integer not null, \`created_at\` datetime not null, constraint \`job_interviewers_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`), constraint \`job_interviewers_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(`create index \`job_interviewers_job_id_index\` on \`job_interviewers\` (\`job_id\`);`);
    this.addSql(`create index \`job_interviewers_user_id_index\` on \`job_interviewers\` (\`user_id\`);`);
    this.addSql(
      `create unique index \`job_interviewers_job_id_user_id_unique\` on \`job_interviewers\` (\`job_id\`, \`user_id\`);`,
    );

    this.addSql(
      `create table \`competencies\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`version\` integer not null, \`latest\` integer not null default true, \`description\` text not null default '', \`indicators_zh\` json not null, \`indicators_en\` json not null, \`created_by_id\` integer null, \`created_at\` datetime not null, constraint \`competencies_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`competencies_created_by_id_index\` on \`competencies\` (\`created_by_id\`);`);
    this.addSql(
      `create unique index \`competencies_name_version_unique\` on \`competencies\` (\`name\`, \`version\`);`,
    );

    this.addSql(
      `create table \`bank_questions\` (\`id\` integer not null primary key autoincrement, \`key\` text not null, \`version\` integer not null, \`latest\` integer not null default true, \`archived\` integer not null default false, \`text\` text not null, \`competencies\` json not null, \`answer_type\` text check (\`answer_type\` in ('video', 'audio', 'text')) not null default 'video', \`think_seconds\` integer not null default 30, \`answer_seconds\` integer not null default 120, \`retakes\` integer not null default 1, \`reference_answers\` json not null, \`created_by_id\` integer null, \`created_at\` datetime not null, constraint \`bank_questions_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`bank_questions_created_by_id_index\` on \`bank_questions\` (\`created_by_id\`);`,
    );
    this.addSql(`create index \`bank_questions_latest_index\` on \`bank_questions\` (\`latest\`);`);
    this.addSql(
      `create unique index \`bank_questions_key_version_unique\` on \`bank_questions\` (\`key\`, \`version\`);`,
    );

    this.addSql(`alter table \`jobs\` add column \`requirements\` text not null default '';`);
    this.addSql(`alter table \`jobs\` add column \`location\` text not null default '';`);
    this.addSql(`alter table \`jobs\` add column \`headcount\` integer not null default 1;`);
    this.addSql(`alter table \`jobs\` add column \`hiring_group_conversation_id\` text null;`);
    this.addSql(`alter table \`jobs\` add column \`paused_at\` datetime null;`);
    this.addSql(`alter table \`jobs\` add column \`version\` integer not null default 1;`);
    this.addSql(`alter table \`jobs\` add column \`reviewer_cursor\` integer not null default 0;`);

    this.addSql(
      `alter table \`interview_questions\` add column \`bank_question_id\` integer null constraint \`interview_questions_bank_question_id_foreign\` references \`bank_questions\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `create index \`interview_questions_bank_question_id_index\` on \`interview_questions\` (\`bank_question_id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`job_interviewers\`;`);
    this.addSql(`drop table if exists \`competencies\`;`);
    this.addSql(`drop table if exists \`bank_questions\`;`);

    this.addSql(`drop index \`interview_questions_bank_question_id_index\`;`);
    this.addSql(`alter table \`interview_questions\` drop column \`bank_question_id\`;`);

    this.addSql(`alter table \`jobs\` drop column \`requirements\`;`);
    this.addSql(`alter table \`jobs\` drop column \`location\`;`);
    this.addSql(`alter table \`jobs\` drop column \`headcount\`;`);
    this.addSql(`alter table \`jobs\` drop column \`hiring_group_conversation_id\`;`);
    this.addSql(`alter table \`jobs\` drop column \`paused_at\`;`);
    this.addSql(`alter table \`jobs\` drop column \`version\`;`);
    this.addSql(`alter table \`jobs\` drop column \`reviewer_cursor\`;`);
  }
}
