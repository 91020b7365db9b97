import { Migration } from '@mikro-orm/migrations';

export class Migration20261205013450_followup_media_check extends Migration {
  override name = 'Migration20261205013450_followup_media_check';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`follow_ups\` add column \`check_claimed_by\` text null;`);
    this.addSql(`alter table \`follow_ups\` add column \`check_lease_until\` datetime null;`);
    this.addSql(
      `create index \`follow_ups_recording_status_check_lease_until_index\` on \`follow_ups\` (\`recording_status\`, \`check_lease_until\`);`,
    );
  }

  override down(): void | Promise<void> {
    // A recording still waiting for its check goes back to its upload (the candidate completes it again).
    this.addSql(
      `update \`follow_ups\` set \`recording_status\` = 'granted' where \`recording_status\` = 'checking';`,
    );
    this.addSql(`drop index \`follow_ups_recording_status_check_lease_until_index\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`check_claimed_by\`;`);
    this.addSql(`alter table \`follow_ups\` drop column \`check_lease_until\`;`);
  }
}
