import { Migration } from '@mikro-orm/migrations';

export class Migration20261204173651_accommodation_approvals extends Migration {
  override name = 'Migration20261204173651_accommodation_approvals';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`approval_templates\` modify \`kind\` enum('second_round','offer','accommodation') not null;`,
    );

    this.addSql(
      `alter table \`approvals\` modify \`kind\` enum('second_round','offer','accommodation') not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`approvals\` modify \`kind\` enum('second_round','offer') not null;`);

    this.addSql(`alter table \`approval_templates\` modify \`kind\` enum('second_round','offer') not null;`);
  }
}
