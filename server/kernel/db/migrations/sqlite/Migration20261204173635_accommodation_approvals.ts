import { Migration } from '@mikro-orm/migrations';

export class Migration20261204173635_accommodation_approvals extends Migration {
  override name = 'Migration20261204173635_accommodation_approvals';

  override up(): void | Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`approval_templates__temp_alter\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('second_round', 'offer', 'accommodation')) not null, \`process_code\` text not null, \`form_version\` integer not null default 1, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `insert into \`approval_templates__temp_alter\` select \`id\`, \`kind\`, \`process_code\`, \`form_version\`, \`created_at\` from \`approval_templates\`;`,
    );
    this.addSql(`drop table \`approval_templates\`;`);
    this.addSql(`alter table \`approval_templates__temp_alter\` rename to \`approval_templates\`;`);
    this.addSql(
      `create unique index \`approval_templates_kind_unique\` on \`approval_templates\` (\`kind\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`approvals__temp_alter\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`kind\` text check (\`kind\` in ('second_round', 'offer', 'accommodation')) not null, \`status\` text check (\`status\` in ('requested', 'running', 'agreed', 'refused', 'terminated', 'failed')) not null default 'requested', \`active_key\` text null, \`process_code\` text null, \`process_instance_id\` text null, \`originator_user_id\` text not null, \`approver_user_ids\` json not null, \`approval_mode\` text not null, \`cc_user_ids\` json not null, \`form\` json not null, \`offer\` json null, \`requested_by_id\` integer null, \`decided_by_user_id\` text null, \`remark\` text null, \`last_error\` text null, \`started_at\` datetime not null, \`decided_at\` datetime null, \`checked_at\` datetime null, constraint \`approvals_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`approvals_requested_by_id_foreign\` foreign key (\`requested_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `insert into \`approvals__temp_alter\` select \`id\`, \`application_id\`, \`kind\`, \`status\`, \`active_key\`, \`process_code\`, \`process_instance_id\`, \`originator_user_id\`, \`approver_user_ids\`, \`approval_mode\`, \`cc_user_ids\`, \`form\`, \`offer\`, \`requested_by_id\`, \`decided_by_user_id\`, \`remark\`, \`last_error\`, \`started_at\`, \`decided_at\`, \`checked_at\` from \`approvals\`;`,
    );
    this.addSql(`drop table \`approvals\`;`);
    this.addSql(`alter table \`approvals__temp_alter\` rename to \`approvals\`;`);
    this.addSql(`create index \`approvals_application_id_index\` on \`approvals\` (\`application_id\`);`);
    this.addSql(`create unique index \`approvals_active_key_unique\` on \`approvals\` (\`active_key\`);`);
    this.addSql(
      `create unique index \`approvals_process_instance_id_unique\` on \`approvals\` (\`process_instance_id\`);`,
    );
    this.addSql(`create index \`approvals_requested_by_id_index\` on \`approvals\` (\`requested_by_id\`);`);
    this.addSql(
      `create index \`approvals_status_started_at_index\` on \`approvals\` (\`status\`, \`started_at\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`approval_templates__temp_alter\` (\`id\` integer not null primary key autoincrement, \`kind\` TEXT check (\`kind\` in ('second_round', 'offer')) not null, \`process_code\` TEXT not null, \`form_version\` INTEGER not null default 1, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `insert into \`approval_templates__temp_alter\` select \`id\`, \`kind\`, \`process_code\`, \`form_version\`, \`created_at\` from \`approval_templates\`;`,
    );
    this.addSql(`drop table \`approval_templates\`;`);
    this.addSql(`alter table \`approval_templates__temp_alter\` rename to \`approval_templates\`;`);
    this.addSql(
      `create unique index \`approval_templates_kind_unique\` on \`approval_templates\` (\`kind\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`approvals__temp_alter\` (\`id\` integer not null primary key autoincrement, \`application_id\` INTEGER not null, \`kind\` TEXT check (\`kind\` in ('second_round', 'offer')) not null, \`status\` TEXT check (\`status\` in ('requested', 'running', 'agreed', 'refused', 'terminated', 'failed')) not null default 'requested', \`active_key\` TEXT null, \`process_code\` TEXT null, \`process_instance_id\` TEXT null, \`originator_user_id\` TEXT not null, \`approver_user_ids\` json not null, \`approval_mode\` TEXT not null, \`cc_user_ids\` json not null, \`form\` json not null, \`offer\` json null, \`requested_by_id\` INTEGER null, \`decided_by_user_id\` TEXT null, \`remark\` TEXT null, \`last_error\` TEXT null, \`started_at\` datetime not null, \`decided_at\` datetime null, \`checked_at\` datetime null, constraint \`approvals_requested_by_id_foreign\` foreign key (\`requested_by_id\`) references \`users\` (\`id\`) on update no action on delete set null, constraint \`approvals_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`) on update no action on delete no action);`,
    );
    this.addSql(
      `insert into \`approvals__temp_alter\` select \`id\`, \`application_id\`, \`kind\`, \`status\`, \`active_key\`, \`process_code\`, \`process_instance_id\`, \`originator_user_id\`, \`approver_user_ids\`, \`approval_mode\`, \`cc_user_ids\`, \`form\`, \`offer\`, \`requested_by_id\`, \`decided_by_user_id\`, \`remark\`, \`last_error\`, \`started_at\`, \`decided_at\`, \`checked_at\` from \`approvals\`;`,
    );
    this.addSql(`drop table \`approvals\`;`);
    this.addSql(`alter table \`approvals__temp_alter\` rename to \`approvals\`;`);
    this.addSql(
      `create index \`approvals_status_started_at_index\` on \`approvals\` (\`status\`, \`started_at\`);`,
    );
    this.addSql(`create index \`approvals_requested_by_id_index\` on \`approvals\` (\`requested_by_id\`);`);
    this.addSql(
      `create unique index \`approvals_process_instance_id_unique\` on \`approvals\` (\`process_instance_id\`);`,
    );
    this.addSql(`create unique index \`approvals_active_key_unique\` on \`approvals\` (\`active_key\`);`);
    this.addSql(`create index \`approvals_application_id_index\` on \`approvals\` (\`application_id\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }
}
