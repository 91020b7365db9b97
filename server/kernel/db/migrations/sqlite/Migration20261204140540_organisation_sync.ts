import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140540_organisation_sync extends Migration {
  override name = 'Migration20261204140540_organisation_sync';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`departments\` add column \`removed_at\` datetime null;`);

    this.addSql(
      `alter table \`users\` add column \`managed_department_id\` integer null constraint \`users_managed_department_id_foreign\` references \`departments\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `create index \`users_managed_department_id_index\` on \`users\` (\`managed_department_id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`departments\` drop column \`removed_at\`;`);

    this.addSql(`drop index \`users_managed_department_id_index\`;`);
    this.addSql(`alter table \`users\` drop column \`managed_department_id\`;`);
  }
}
