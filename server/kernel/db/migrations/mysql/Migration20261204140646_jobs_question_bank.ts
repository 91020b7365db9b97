import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140646_jobs_question_bank extends Migration {
  override name = 'Migration20261204140646_jobs_question_bank';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`job_interviewers\` (\`id\` int unsigned not null auto_increment primary key, \`job_id\` int unsigned not null, \`user_id\` int unsigned not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`job_interviewers\` add index \`job_interviewers_job_id_index\` (\`job_id\`);`);
    this.addSql(
      `alter table \`job_interviewers\` add index \`job_interviewers_user_id_index\` (\`user_id\`);`,
    );
    this.addSql(
      `alter table \`job_interviewers\` add unique \`job_interviewers_job_id_user_id_unique\` (\`job_id\`, \`user_id\`);`,
    );

    this.addSql(
      `create table \`competencies\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(100) not null, \`version\` int not null, \`latest\` tinyint(1) not null default true, \`description\` text not null default (''), \`indicators_zh\` json not null, \`indicators_en\` json not null, \`created_by_id\` int unsigned null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`competencies\` add index \`competencies_created_by_id_index\` (\`created_by_id\`);`,
    );
    this.addSql(
      `alter table \`competencies\` add unique \`competencies_name_version_unique\` (\`name\`, \`version\`);`,
    );

    this.addSql(
      `create table \`bank_questions\` (\`id\` int unsigned not null auto_increment primary key, \`key\` varchar(36) not null, \`version\` int not null, \`latest\` tinyint(1) not null default true, \`archived\` tinyint(1) not null default false, \`text\` text not null, \`competencies\` json not null, \`answer_type\` enum('video','audio','text') not null default 'video', \`think_seconds\` int not null default 30, \`answer_seconds\` int not null default 120, \`retakes\` int not null default 1, \`reference_answers\` json not null, \`created_by_id\` int unsigned null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`bank_questions\` add index \`bank_questions_created_by_id_index\` (\`created_by_id\`);`,
    );
    this.addSql(`alter table \`bank_questions\` add index \`bank_questions_latest_index\` (\`latest\`);`);
    this.addSql(
      `alter table \`bank_questions\` add unique \`bank_questions_key_version_unique\` (\`key\`, \`version\`);`,
    );

    this.addSql(
      `alter table \`jobs\` add \`requirements\` text not null default (''), add \`location\` varchar(100) not null default '', add \`headcount\` int not null default 1, add \`hiring_group_conversation_id\` varchar(64) null, add \`paused_at\` datetime(3) null, add \`version\` int not null default 1, add \`reviewer_cursor\` int not null default 0;`,
    );

    this.addSql(`alter table \`interview_questions\` add \`bank_question_id\` int unsigned null;`);
    this.addSql(
      `alter table \`interview_questions\` add constraint \`interview_questions_bank_question_id_foreign\` foreign key (\`bank_question_id\`) references \`bank_questions\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`interview_questions\` add index \`interview_questions_bank_question_id_index\` (\`bank_question_id\`);`,
    );

    this.addSql(
      `alter table \`job_interviewers\` add constraint \`job_interviewers_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`job_interviewers\` add constraint \`job_interviewers_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`competencies\` add constraint \`competencies_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`bank_questions\` add constraint \`bank_questions_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table \`interview_questions\` drop foreign key \`interview_questions_bank_question_id_foreign\`;`,
    );

    this.addSql(`drop table if exists \`job_interviewers\`;`);
    this.addSql(`drop table if exists \`competencies\`;`);
    this.addSql(`drop table if exists \`bank_questions\`;`);

    this.addSql(
      `alter table \`interview_questions\` drop index \`interview_questions_bank_question_id_index\`;`,
    );
    this.addSql(`alter table \`interview_questions\` drop column \`bank_question_id\`;`);

    this.addSql(
      `alter table \`jobs\` drop column \`requirements\`, drop column \`location\`, drop column \`headcount\`, drop column \`hiring_group_conversation_id\`, drop column \`paused_at\`, drop column \`version\`, drop column \`reviewer_cursor\`;`,
    );
  }
}
