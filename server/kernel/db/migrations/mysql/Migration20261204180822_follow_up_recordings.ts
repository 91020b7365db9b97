import { Migration } from '@mikro-orm/migrations';

export class Migration20261204180822_follow_up_recordings extends Migration {
  override name = 'Migration20261204180822_follow_up_recordings';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`follow_ups\` add \`answer_mode\` varchar(10) not null default 'text', add \`object_key\` varchar(300) null, add \`content_type\` varchar(60) null, add \`recording_status\` varchar(20) null, add \`recording_flags\` json null, add \`duration_ms\` int null, add \`transcript_provider\` varchar(60) null, add \`recording_error\` varchar(1000) null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table \`follow_ups\` drop column \`answer_mode\`, drop column \`object_key\`, drop column \`content_type\`, drop column \`recording_status\`, drop column \`recording_flags\`, drop column \`duration_ms\`, drop column \`transcript_provider\`, drop column \`recording_error\`;`,
    );
  }
}
