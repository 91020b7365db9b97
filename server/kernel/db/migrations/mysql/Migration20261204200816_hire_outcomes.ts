import { Migration } from '@mikro-orm/migrations';

export class Migration20261204200816_hire_outcomes extends Migration {
  override name = 'Migration20261204200816_hire_outcomes';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`hire_outcomes\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`dingtalk_user_id\` varchar(64) null, \`status\` enum('probation','regular','left','not_found') not null, \`probation_passed\` tinyint(1) null, \`regular_at\` datetime(3) null, \`left_at\` datetime(3) null, \`performance_grade\` varchar(32) null, \`performance_period\` varchar(64) null, \`performance_score\` double null, \`synced_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`hire_outcomes\` add index \`hire_outcomes_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`hire_outcomes\` add unique \`hire_outcomes_application_id_unique\` (\`application_id\`);`,
    );

    this.addSql(
      `create table \`hire_outcome_syncs\` (\`id\` int unsigned not null auto_increment primary key, \`status\` enum('requested','running','done','failed') not null, \`requested_by_id\` int unsigned null, \`requested_at\` datetime(3) not null, \`started_at\` datetime(3) null, \`finished_at\` datetime(3) null, \`synced\` int not null default 0, \`not_found\` int not null default 0, \`error\` text null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`hire_outcome_syncs\` add index \`hire_outcome_syncs_requested_by_id_index\` (\`requested_by_id\`);`,
    );
    this.addSql(
      `alter table \`hire_outcome_syncs\` add index \`hire_outcome_syncs_status_index\` (\`status\`);`,
    );

    this.addSql(
      `alter table \`hire_outcomes\` add constraint \`hire_outcomes_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`hire_outcome_syncs\` add constraint \`hire_outcome_syncs_requested_by_id_foreign\` foreign key (\`requested_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`hire_outcomes\`;`);
    this.addSql(`drop table if exists \`hire_outcome_syncs\`;`);
  }
}
