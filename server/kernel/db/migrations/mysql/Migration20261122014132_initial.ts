import { Migration } from '@mikro-orm/migrations';

export class Migration20261122014132_initial extends Migration {
  override name = 'Migration20261122014132_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_log\` (\`id\` int unsigned not null auto_increment primary key, \`actor_kind\` enum('employee','candidate','system') not null, \`actor_id\` int null, \`action\` varchar(100) not null, \`object_type\` varchar(50) not null, \`object_id\` varchar(64) null, \`details\` json null, \`ip\` varchar(64) null, \`request_id\` varchar(64) null, \`at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`audit_log\` add index \`audit_log_object_type_object_id_index\` (\`object_type\`, \`object_id\`);`,
    );
    this.addSql(`alter table \`audit_log\` add index \`audit_log_at_index\` (\`at\`);`);

    this.addSql(
      `create table \`candidates\` (\`id\` int unsigned not null auto_increment primary key, \`union_id\` varchar(64) null, \`name\` varchar(100) not null, \`mobile\` varchar(32) null, \`email\` varchar(200) null, \`locale\` varchar(8) not null default 'zh-CN', \`last_sign_in_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`candidates\` add unique \`candidates_union_id_unique\` (\`union_id\`);`);

    this.addSql(
      `create table \`departments\` (\`id\` int unsigned not null auto_increment primary key, \`dingtalk_id\` bigint not null, \`name\` varchar(200) not null, \`parent_id\` int unsigned null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`departments\` add unique \`departments_dingtalk_id_unique\` (\`dingtalk_id\`);`,
    );
    this.addSql(`alter table \`departments\` add index \`departments_parent_id_index\` (\`parent_id\`);`);

    this.addSql(
      `create table \`oauth_states\` (\`id\` int unsigned not null auto_increment primary key, \`nonce\` varchar(64) not null, \`next_path\` varchar(500) not null default '/', \`expires_at\` datetime not null, \`used_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`oauth_states\` add unique \`oauth_states_nonce_unique\` (\`nonce\`);`);

    this.addSql(
      `create table \`org_settings\` (\`id\` int unsigned not null auto_increment primary key, \`corp_id\` varchar(64) not null, \`name\` varchar(200) not null, \`timezone\` varchar(64) not null default 'Asia/Shanghai', \`locale\` varchar(8) not null default 'zh-CN', \`retention_days\` int not null default 180, \`created_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`org_settings\` add unique \`org_settings_corp_id_unique\` (\`corp_id\`);`);

    this.addSql(
      `create table \`outbox\` (\`id\` int unsigned not null auto_increment primary key, \`idempotency_key\` varchar(191) not null, \`topic\` varchar(100) not null, \`aggregate\` varchar(100) null, \`recipient_kind\` enum('employee','candidate','group','webhook','system') not null, \`recipient_id\` varchar(100) null, \`channel\` varchar(40) not null, \`payload\` json not null, \`due_at\` datetime(3) not null, \`status\` enum('pending','sending','sent','failed','cancelled') not null default 'pending', \`attempts\` int not null default 0, \`last_error\` text null, \`lease_owner\` varchar(100) null, \`lease_until\` datetime(3) null, \`sent_at\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`outbox\` add unique \`outbox_idempotency_key_unique\` (\`idempotency_key\`);`);
    this.addSql(`alter table \`outbox\` add index \`outbox_status_due_at_index\` (\`status\`, \`due_at\`);`);
    this.addSql(`alter table \`outbox\` add index \`outbox_aggregate_index\` (\`aggregate\`);`);

    this.addSql(
      `create table \`users\` (\`id\` int unsigned not null auto_increment primary key, \`dingtalk_user_id\` varchar(64) not null, \`union_id\` varchar(64) null, \`name\` varchar(100) not null, \`mobile\` varchar(32) null, \`title\` varchar(100) null, \`department_id\` int unsigned null, \`roles\` json not null, \`active\` tinyint(1) not null default true, \`locale\` varchar(8) not null default 'zh-CN', \`last_sign_in_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`users\` add unique \`users_dingtalk_user_id_unique\` (\`dingtalk_user_id\`);`);
    this.addSql(`alter table \`users\` add unique \`users_union_id_unique\` (\`union_id\`);`);
    this.addSql(`alter table \`users\` add index \`users_department_id_index\` (\`department_id\`);`);

    this.addSql(
      `create table \`jobs\` (\`id\` int unsigned not null auto_increment primary key, \`slug\` varchar(64) not null, \`title\` varchar(200) not null, \`description\` text not null default (''), \`department_id\` int unsigned not null, \`hiring_manager_id\` int unsigned null, \`status\` enum('open','closed') not null default 'open', \`created_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`jobs\` add unique \`jobs_slug_unique\` (\`slug\`);`);
    this.addSql(`alter table \`jobs\` add index \`jobs_department_id_index\` (\`department_id\`);`);
    this.addSql(`alter table \`jobs\` add index \`jobs_hiring_manager_id_index\` (\`hiring_manager_id\`);`);

    this.addSql(
      `create table \`interview_plans\` (\`id\` int unsigned not null auto_increment primary key, \`job_id\` int unsigned not null, \`name\` varchar(200) not null, \`created_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`interview_plans\` add index \`interview_plans_job_id_index\` (\`job_id\`);`);
    this.addSql(`alter table \`interview_plans\` add unique \`interview_plans_job_id_unique\` (\`job_id\`);`);

    this.addSql(
      `create table \`interview_questions\` (\`id\` int unsigned not null auto_increment primary key, \`plan_id\` int unsigned not null, \`position\` int not null, \`text\` text not null, \`competencies\` json not null, \`think_seconds\` int not null, \`answer_seconds\` int not null, \`retakes\` int not null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interview_questions\` add index \`interview_questions_plan_id_index\` (\`plan_id\`);`,
    );
    this.addSql(
      `alter table \`interview_questions\` add unique \`interview_questions_plan_id_position_unique\` (\`plan_id\`, \`position\`);`,
    );

    this.addSql(
      `create table \`applications\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int unsigned not null, \`job_id\` int unsigned not null, \`stage\` enum('invited','booked','interviewing','submitted','scored','in_review','second_round','second_round_booked','second_round_done','offer_approval','offer_sent','accepted','onboarding','hired','rejected','withdrawn') not null default 'invited', \`stage_changed_at\` datetime(3) not null, \`person_only\` tinyint(1) not null default false, \`deadline_at\` datetime(3) null, \`version\` int not null default 1, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`applications\` add index \`applications_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(`alter table \`applications\` add index \`applications_job_id_index\` (\`job_id\`);`);
    this.addSql(
      `alter table \`applications\` add index \`applications_job_id_stage_index\` (\`job_id\`, \`stage\`);`,
    );
    this.addSql(
      `alter table \`applications\` add unique \`applications_candidate_id_job_id_unique\` (\`candidate_id\`, \`job_id\`);`,
    );

    this.addSql(
      `create table \`invitations\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int unsigned not null, \`job_id\` int unsigned not null, \`created_by_id\` int unsigned null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`first_used_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`invitations\` add index \`invitations_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(`alter table \`invitations\` add index \`invitations_job_id_index\` (\`job_id\`);`);
    this.addSql(
      `alter table \`invitations\` add index \`invitations_created_by_id_index\` (\`created_by_id\`);`,
    );

    this.addSql(
      `alter table \`departments\` add constraint \`departments_parent_id_foreign\` foreign key (\`parent_id\`) references \`departments\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`users\` add constraint \`users_department_id_foreign\` foreign key (\`department_id\`) references \`departments\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`jobs\` add constraint \`jobs_department_id_foreign\` foreign key (\`department_id\`) references \`departments\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`jobs\` add constraint \`jobs_hiring_manager_id_foreign\` foreign key (\`hiring_manager_id\`) references \`users\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`interview_plans\` add constraint \`interview_plans_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interview_questions\` add constraint \`interview_questions_plan_id_foreign\` foreign key (\`plan_id\`) references \`interview_plans\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`applications\` add constraint \`applications_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`applications\` add constraint \`applications_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`invitations\` add constraint \`invitations_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`invitations\` add constraint \`invitations_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`invitations\` add constraint \`invitations_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`applications\` drop foreign key \`applications_candidate_id_foreign\`;`);
    this.addSql(`alter table \`invitations\` drop foreign key \`invitations_candidate_id_foreign\`;`);
    this.addSql(`alter table \`departments\` drop foreign key \`departments_parent_id_foreign\`;`);
    this.addSql(`alter table \`users\` drop foreign key \`users_department_id_foreign\`;`);
    this.addSql(`alter table \`jobs\` drop foreign key \`jobs_department_id_foreign\`;`);
    this.addSql(`alter table \`jobs\` drop foreign key \`jobs_hiring_manager_id_foreign\`;`);
    this.addSql(`alter table \`invitations\` drop foreign key \`invitations_created_by_id_foreign\`;`);
    this.addSql(`alter table \`interview_plans\` drop foreign key \`interview_plans_job_id_foreign\`;`);
    this.addSql(`alter table \`applications\` drop foreign key \`applications_job_id_foreign\`;`);
    this.addSql(`alter table \`invitations\` drop foreign key \`invitations_job_id_foreign\`;`);
    this.addSql(
      `alter table \`interview_questions\` drop foreign key \`interview_questions_plan_id_foreign\`;`,
    );

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
