import { Migration } from '@mikro-orm/migrations';

export class Migration20261205013452_followup_media_check extends Migration {
  override name = 'Migration20261205013452_followup_media_check';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`follow_ups\` add \`check_claimed_by\` varchar(100) null, add \`check_lease_until\` datetime(3) null;`,
    );
    this.addSql(
      `alter table \`follow_ups\` add index \`follow_ups_recording_status_check_lease_until_index\` (\`recording_status\`, \`check_lease_until\`);`,
    );
  }

  override down(): void | Promise<void> {
    // A recording still waiting for its check goes back to its upload (the candidate completes it again).
    this.addSql(
      `update \`follow_ups\` set \`recording_status\` = 'granted' where \`recording_status\` = 'checking';`,
    );
    this.addSql(
      `alter table \`follow_ups\` drop index \`follow_ups_recording_status_check_lease_until_index\`;`,
    );
    this.addSql(
      `alter table \`follow_ups\` drop column \`check_claimed_by\`, drop column \`check_lease_until\`;`,
    );
  }
}
