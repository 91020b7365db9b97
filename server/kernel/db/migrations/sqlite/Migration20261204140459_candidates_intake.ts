import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140459_candidates_intake extends Migration {
  override name = 'Migration20261204140459_candidates_intake';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`queue_closures\` (\`id\` integer not null primary key autoincrement, \`item_key\` text not null, \`note\` text not null, \`closed_by_id\` integer not null, \`closed_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`queue_closures_item_key_unique\` on \`queue_closures\` (\`item_key\`);`,
    );

    this.addSql(
      `create table \`accommodation_requests\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`candidate_id\` integer not null, \`extra_time_percent\` integer not null default 0, \`extra_retakes\` integer not null default 0, \`audio_only\` integer not null default false, \`note\` text not null default '', \`status\` text check (\`status\` in ('pending', 'granted', 'declined')) not null default 'pending', \`due_at\` datetime not null, \`decided_by_id\` integer null, \`decided_at\` datetime null, \`decision_note\` text null, \`created_at\` datetime not null, constraint \`accommodation_requests_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`));`,
    );
    this.addSql(
      `create index \`accommodation_requests_application_id_index\` on \`accommodation_requests\` (\`application_id\`);`,
    );
    this.addSql(
      `create index \`accommodation_requests_status_due_at_index\` on \`accommodation_requests\` (\`status\`, \`due_at\`);`,
    );

    this.addSql(
      `create table \`candidate_imports\` (\`id\` integer not null primary key autoincrement, \`created_by_id\` integer not null, \`file_name\` text not null, \`file_sha256\` text not null, \`status\` text check (\`status\` in ('previewed', 'confirmed')) not null default 'previewed', \`total_rows\` integer not null, \`rows\` json not null, \`errors\` json not null, \`candidate_ids\` json null, \`created_count\` integer null, \`merged_count\` integer null, \`created_at\` datetime not null, \`confirmed_at\` datetime null, constraint \`candidate_imports_created_by_id_foreign\` foreign key (\`created_by_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(
      `create index \`candidate_imports_created_by_id_index\` on \`candidate_imports\` (\`created_by_id\`);`,
    );

    // Added in place (no table rebuild): existing candidates keep their rows and get 'other'.
    this.addSql(
      `alter table \`candidates\` add column \`source\` text check (\`source\` in ('referral', 'job_site', 'campus', 'dingtalk_recruit', 'other')) not null default 'other';`,
    );
    this.addSql(`alter table \`candidates\` add column \`referrer\` text null;`);
    this.addSql(`alter table \`candidates\` add column \`mobile_key\` text null;`);
    this.addSql(`alter table \`candidates\` add column \`email_key\` text null;`);
    this.addSql(`alter table \`candidates\` add column \`created_by_id\` integer null;`);
    this.addSql(`alter table \`invitations\` add column \`send_count\` integer not null default 0;`);
    // Existing rows get their keys where unambiguous: the oldest row of each mainland mobile /
    // e-mail takes the key; later doubles keep null (HR merges them by hand, nothing is lost).
    this.addSql(
      `update \`candidates\` set \`mobile_key\` = '+86' || \`mobile\` where \`mobile\` glob '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' and \`id\` in (select min(\`id\`) from \`candidates\` where \`mobile\` is not null group by \`mobile\`);`,
    );
    this.addSql(
      `update \`candidates\` set \`email_key\` = lower(trim(\`email\`)) where \`email\` like '%_@_%._%' and \`id\` in (select min(\`id\`) from \`candidates\` where \`email\` is not null group by lower(trim(\`email\`)));`,
    );
    this.addSql(`create unique index \`candidates_mobile_key_unique\` on \`candidates\` (\`mobile_key\`);`);
    this.addSql(`create unique index \`candidates_email_key_unique\` on \`candidates\` (\`email_key\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`queue_closures\`;`);
    this.addSql(`drop table if exists \`accommodation_requests\`;`);
    this.addSql(`drop table if exists \`candidate_imports\`;`);

    this.addSql(`drop index \`candidates_mobile_key_unique\`;`);
    this.addSql(`drop index \`candidates_email_key_unique\`;`);
    this.addSql(`alter table \`invitations\` drop column \`send_count\`;`);
    for (const c of ['source', 'referrer', 'mobile_key', 'email_key', 'created_by_id'])
      this.addSql(`alter table \`candidates\` drop column \`${c}\`;`);
  }
}
