import { Migration } from '@mikro-orm/migrations';

export class Migration20261204180817_follow_up_recordings extends Migration {
  override name = 'Migration20261204180817_follow_up_recordings';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`follow_ups\` add column \`answer_mode\` text not null default 'text';`);
    this.addSql(`alter table \`follow_ups\` add column \`object_key\` text null;`);
    this.addSql(`alter table \`follow_ups\` add column \`content_type\` text null;`);
    this.addSql(`alter table \`follow_ups\` add column \`recording_status\` text null;`);
    this.addSql(`alter table \`follow_ups\` add column \`recording_flags\` json null;`);
    this.addSql(`alter table \`follow_ups\` add column \`duration_ms\` integer null;`);
    this.addSql(`alter table \`follow_ups\` add column \`transcript_provider\` text null;`);
    this.addSql(`alter table \`follow_ups\` add column \`recording_error\` text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`follow_ups\` drop column \`answer_mode\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`object_key\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`content_type\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`recording_status\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`recording_flags\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`duration_ms\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`transcript_provider\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`recording_error\`;`);
  }
}
