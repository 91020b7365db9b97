import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140512_candidates_intake extends Migration {
  override name = 'Migration20261204140512_candidates_intake';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`queue_closures\` (\`id\` int unsigned not null auto_increment primary key, \`item_key\` varchar(80) not null, \`note\` varchar(1000) not null, \`closed_by_id\` int not null, \`closed_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`queue_closures\` add unique \`queue_closures_item_key_unique\` (\`item_key\`);`,
    );

    this.addSql(
      `create table \`accommodation_requests\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`candidate_id\` int not null, \`extra_time_percent\` int not null default 0, \`extra_retakes\` int not null default 0, \`audio_only\` tinyint(1) not null default false, \`note\` varchar(500) not null default '', \`status\` enum('pending','granted','declined') not null default 'pending', \`due_at\` datetime(3) not null, \`decided_by_id\` int null, \`decided_at\` datetime(3) null, \`decision_note\` varchar(500) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`accommodation_requests\` add index \`accommodation_requests_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`accommodation_requests\` add index \`accommodation_requests_status_due_at_index\` (\`status\`, \`due_at\`);`,
    );

    this.addSql(
      `create table \`candidate_imports\` (\`id\` int unsigned not null auto_increment primary key, \`created_by_id\` int unsigned not null, \`file_name\` varchar(200) not null, \`file_sha256\` varchar(64) not null, \`status\` enum('previewed','confirmed') not null default 'previewed', \`total_rows\` int not null, \`rows\` json not null, \`errors\` json not null, \`candidate_ids\` json null, \`created_count\` int null, \`merged_count\` int null, \`created_at\` datetime(3) not null, \`confirmed_at\` datetime(3) null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`candidate_imports\` add index \`candidate_imports_created_by_id_index\` (\`created_by_id\`);`,
    );

    this.addSql(
      `alter table \`candidates\` add \`source\` enum('referral','job_site','campus','dingtalk_recruit','other') not null default 'other', add \`referrer\` varchar(100) null, add \`mobile_key\` varchar(32) null, add \`email_key\` varchar(200) null, add \`created_by_id\` int null;`,
    );
    // Existing rows get their keys where unambiguous: the oldest row of each mainland mobile /
    // e-mail takes the key; later doubles keep null (HR merges them by hand, nothing is lost).
    this.addSql(
      `update \`candidates\` c join (select min(\`id\`) as \`id\` from \`candidates\` where \`mobile\` regexp '^1[3-9][0-9]{9}$' group by \`mobile\`) f on f.\`id\` = c.\`id\` set c.\`mobile_key\` = concat('+86', c.\`mobile\`);`,
    );
    this.addSql(
      `update \`candidates\` c join (select min(\`id\`) as \`id\` from \`candidates\` where \`email\` like '%_@_%._%' group by lower(trim(\`email\`))) f on f.\`id\` = c.\`id\` set c.\`email_key\` = lower(trim(c.\`email\`));`,
    );
    this.addSql(`alter table \`invitations\` add \`send_count\` int not null default 0;`);
    this.addSql(`alter table \`candidates\` add unique \`candidates_mobile_key_unique\` (\`mobile_key\`);`);
    this.addSql(`alter table \`candidates\` add unique \`candidates_email_key_unique\` (\`email_key\`);`);

    this.addSql(
      `alter table \`accommodation_requests\` add constraint \`accommodation_requests_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`candidate_imports\` add constraint \`candidate_imports_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`queue_closures\`;`);
    this.addSql(`drop table if exists \`accommodation_requests\`;`);
    this.addSql(`drop table if exists \`candidate_imports\`;`);

    this.addSql(`alter table \`invitations\` drop column \`send_count\`;`);
    this.addSql(`alter table \`candidates\` drop index \`candidates_mobile_key_unique\`;`);
    this.addSql(`alter table \`candidates\` drop index \`candidates_email_key_unique\`;`);
    this.addSql(
      `alter table \`candidates\` drop column \`source\`, drop column \`referrer\`, drop column \`mobile_key\`, drop column \`email_key\`, drop column \`created_by_id\`;`,
    );
  }
}
