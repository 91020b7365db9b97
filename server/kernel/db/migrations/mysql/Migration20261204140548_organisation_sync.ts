import { Migration } from '@mikro-orm/migrations';

export class Migration20261204140548_organisation_sync extends Migration {
  override name = 'Migration20261204140548_organisation_sync';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`departments\` add \`removed_at\` datetime null;`);

    this.addSql(`alter table \`users\` add \`managed_department_id\` int unsigned null;`);
    this.addSql(
      `alter table \`users\` add constraint \`users_managed_department_id_foreign\` foreign key (\`managed_department_id\`) references \`departments\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`users\` add index \`users_managed_department_id_index\` (\`managed_department_id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`users\` drop foreign key \`users_managed_department_id_foreign\`;`);

    this.addSql(`alter table \`departments\` drop column \`removed_at\`;`);

    this.addSql(`alter table \`users\` drop index \`users_managed_department_id_index\`;`);
    this.addSql(`alter table \`users\` drop column \`managed_department_id\`;`);
  }
}
