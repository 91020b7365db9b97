import { Migration } from '@mikro-orm/migrations';

export class Migration20261204224318_attempt_media_check extends Migration {
  override name = 'Migration20261204224318_attempt_media_check';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`interview_attempts\` add \`uploaded_at\` datetime(3) null, add \`check_claimed_by\` varchar(100) null, add \`check_lease_until\` datetime(3) null;`,
    );
    this.addSql(
      `alter table \`interview_attempts\` modify \`status\` enum('granted','checking','verified','rejected') not null default 'granted';`,
    );
    this.addSql(
      `alter table \`interview_attempts\` add index \`interview_attempts_status_check_lease_until_index\` (\`status\`, \`check_lease_until\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table \`interview_attempts\` drop index \`interview_attempts_status_check_lease_until_index\`;`,
    );
    // A recording still waiting for its check goes back to its upload (the candidate completes it again).
    this.addSql(`update \`interview_attempts\` set \`status\` = 'granted' where \`status\` = 'checking';`);
    this.addSql(
      `alter table \`interview_attempts\` modify \`status\` enum('granted','verified','rejected') not null default 'granted';`,
    );
    this.addSql(
      `alter table \`interview_attempts\` drop column \`uploaded_at\`, drop column \`check_claimed_by\`, drop column \`check_lease_until\`;`,
    );
  }
}
