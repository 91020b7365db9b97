import { Migration } from '@mikro-orm/migrations';

export class Migration20261122014132_initial extends Migration {
  override name = 'Migration20261122014132_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_log\` (\`id\` integer not null primary key autoincrement, \`actor_kind\` text check (\`actor_kind\` in ('employee', 'candidate', 'system')) not null, \`actor_id\` integer null, \`action\` text not null, \`object_type\` text not null, \`object_id\` text null, \`details\` json null, \`ip\` text null, \`request_id\` text null, \`at\` datetime not null);`,
    );
    this.addSql(
      `create index \`audit_log_object_type_object_id_index\` on \`audit_log\` (\`object_type\`, \`object_id\`);`,
    );
    this.addSql(`create index \`audit_log_at_index\` on \`audit_log\` (\`at\`);`);

    this.addSql(
      `create table \`candidates\` (\`id\` integer not null primary key autoincrement, \`union_id\` text null, \`name\` text not null, \`mobile\` text null, \`email\` text null, \`locale\` text not null default 'zh-CN', \`last_sign_in_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`candidates_union_id_unique\` on \`candidates\` (\`union_id\`);`);

    this.addSql(
      `create table \`departments\` (\`id\` integer not null primary key autoincrement, \`dingtalk_id\` bigint not null, \`name\` text not null, \`parent_id\` integer null, \`created_at\` datetime not null, constraint \`departments_parent_id_foreign\` foreign key (\`parent_id\`) references \`departments\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create unique index \`departments_dingtalk_id_unique\` on \`departments\` (\`dingtalk_id\`);`,
    );
    this.addSql(`create index \`departments_parent_id_index\` on \`departments\` (\`parent_id\`);`);

    this.addSql(
      `create table \`oauth_states\` (\`id\` integer not null primary key autoincrement, \`nonce\` text not null, \`next_path\` text not null default '/', \`expires_at\` datetime not null, \`used_at\` datetime null, \`created_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`oauth_states_nonce_unique\` on \`oauth_states\` (\`nonce\`);`);

    this.addSql(
      `create table \`org_settings\` (\`id\` integer not null primary key autoincrement, \`corp_id\` text not null, \`name\` text not null, \`timezone\` text not null default 'Asia/Shanghai', \`locale\` text not null default 'zh-CN', \`retention_days\` integer not null default 180, \`created_at\` datetime not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`org_settings_corp_id_unique\` on \`org_settings\` (\`corp_id\`);`);

    this.addSql(
      `create table \`outbox\` (\`id\` integer not null primary key autoincrement, \`idempotency_key\` text not null, \`topic\` text not null, \`aggregate\` text null, \`recipient_kind\` text check (\`recipient_kind\` in ('employee', 'candidate', 'group', 'webhook', 'system')) not null, \`recipient_id\` text null, \`channel\` text not null, \`payload\` json not null, \`due_at\` datetime not null, \`status\` text check (\`status\` in ('pending', 'sending', 'sent', 'failed', 'cancelled')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`lease_owner\` text null, \`lease_until\` datetime null, \`sent_at\` datetime null, \`created_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`outbox_idempotency_key_unique\` on \`outbox\` (\`idempotency_key\`);`);
    this.addSql(`create index \`outbox_status_due_at_index\` on \`outbox\` (\`status\`, \`due_at\`);`);
    this.addSql(`create index \`outbox_aggregate_index\` on \`outbox\` (\`aggregate\`);`);

    this.addSql(
      `create table \`users\` (\`id\` integer not null primary key autoincrement, \`dingtalk_user_id\` text not null, \`union_id\` text null, \`name\` text not null, \`mobile\` text null, \`title\` text null, \`department_id\` integer null, \`roles\` json not null, \`active\` integer not null default true, \`locale\` text not null default 'zh-CN', \`last_sign_in_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`users_department_id_foreign\` foreign key (\`department_id\`) references \`departments\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create unique index \`users_dingtalk_user_id_unique\` on \`users\` (\`dingtalk_user_id\`);`);
    this.addSql(`create unique index \`users_union_id_unique\` on \`users\` (\`union_id\`);`);
    this.addSql(`create index \`users_department_id_index\` on \`users\` (\`department_id\`);`);

    this.addSql(
      `create table \`jobs\` (\`id\` integer not null primary key autoincrement, \`slug\` text not null, \`title\` text not null, \`description\` text not null default '', \`department_id\` integer not null, \`hiring_manager_id\` integer null, \`status\` text check (\`status\` in ('open', 'closed')) not null default 'open', \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`jobs_department_id_foreign\` foreign key (\`department_id\`) references \`departments\` (\`id\`), constraint \`jobs_hiring_manager_id_foreign\` foreign key (\`hiring_manager_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create unique index \`jobs_slug_unique\` on \`jobs\` (\`slug\`);`);
    this.addSql(`create index \`jobs_department_id_index\` on \`jobs\` (\`department_id\`);`);
    this.addSql(`create index \`jobs_hiring_manager_id_index\` on \`jobs\` (\`hiring_manager_id\`);`);

    this.addSql(
      `create table \`interview_plans\` (\`id\` integer not null primary key autoincrement, \`job_id\` integer not null, \`name\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`interview_plans_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`));`,
    );
    this.addSql(`create index \`interview_plans_job_id_index\` on \`interview_plans\` (\`job_id\`);`);
    this.addSql(`create unique index \`interview_plans_job_id_unique\` on \`interview_plans\` (\`job_id\`);`);

    this.addSql(
      `create table \`interview_questions\` (\`id\` integer not null primary key autoincrement, \`plan_id\` integer not null, \`position\` integer not null, \`text\` text not null, \`competencies\` json not null, \`think_seconds\` integer not null, \`answer_seconds\` integer not null, \`retakes\` integer not null, \`created_at\` datetime not null, constraint \`interview_questions_plan_id_foreign\` foreign key (\`plan_id\`) references \`interview_plans\` (\`id\`));`,
    );
    this.addSql(
      `create index \`interview_questions_plan_id_index\` on \`interview_questions\` (\`plan_id\`);`,
    );
    this.addSql(
      `create unique index \`interview_questions_plan_id_position_unique\` on \`interview_questions\` (\`plan_id\`, \`position\`);`,
    );

    this.addSql(
      `create table \`applications\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`job_id\` integer not null, \`stage\` text check (\`stage\` in ('invited', 'booked', 'interviewing', 'submitted', 'scored', 'in_review', 'second_round', 'second_round_booked', 'second_round_done', 'offer_approval', 'offer_sent', 'accepted', 'onboarding', 'hired', 'rejected', 'withdrawn')) not null default 'invited', \`stage_changed_at\` datetime not null, \`person_only\` integer not null default false, \`deadline_at\` datetime null, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`applications_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`), constraint \`applications_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`));`,
    );
    this.addSql(`create index \`applications_candidate_id_index\` on \`applications\` (\`candidate_id\`);`);
    this.addSql(`create index \`applications_job_id_index\` on \`applications\` (\`job_id\`);`);
    this.addSql(
      `create index \`applications_job_id_stage_index\` on \`applications\` (\`job_id\`, \`stage\`);`,
    );
    this.addSql(
      `create unique index \`applications_candidate_id_job_id_unique\` on \`applications\` (\`candidate_id\`, \`job_id\`);`,
    );

    this.addSql(
      `create table \`invitations\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`job_id\` integer not null, \`created_by_id\` integer null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`first_used_at\` datetime null, \`created_at\` datetime not null, constraint \`invitations_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`), constraint \`invitations_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`), constraint \`invitations_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`invitations_candidate_id_index\` on \`invitations\` (\`candidate_id\`);`);
    this.addSql(`create index \`invitations_job_id_index\` on \`invitations\` (\`job_id\`);`);
    this.addSql(`create index \`invitations_created_by_id_index\` on \`invitations\` (\`created_by_id\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`audit_log\`;`);
    this.addSql(`drop table if exists \`candidates\`;`);
    this.addSql(`drop table if exists \`departments\`;`);
    this.addSql(`drop table if exists \`oauth_states\`;`);
    this.addSql(`drop table if exists \`org_settings\`;`);
    this.addSql(`drop table if exists \`outbox\`;`);
    this.addSql(`drop table if exists \`users\`;`);
    this.addSql(`drop table if exists \`jobs\`;`);
    this.addSql(`drop table if exists \`interview_plans\`;`);
    this.addSql(`drop table if exists \`interview_questions\`;`);
    this.addSql(`drop table if exists \`applications\`;`);
    this.addSql(`drop table if exists \`invitations\`;`);
  }
}
