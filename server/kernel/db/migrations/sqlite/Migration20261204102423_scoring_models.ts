import { Migration } from '@mikro-orm/migrations';

export class Migration20261204102423_scoring_models extends Migration {
  override name = 'Migration20261204102423_scoring_models';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`scoring_models\` (\`id\` integer not null primary key autoincrement, \`version\` text not null, \`status\` text check (\`status\` in ('active', 'rejected', 'retired')) not null, \`reason\` text check (\`reason\` in ('manual', 'ratings', 'nightly')) not null, \`ratings\` integer not null, \`cv\` json null, \`decision\` text not null, \`model\` json not null, \`fitted_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`scoring_models_version_unique\` on \`scoring_models\` (\`version\`);`);
    this.addSql(`create index \`scoring_models_status_index\` on \`scoring_models\` (\`status\`);`);

    this.addSql(`drop table if exists \`scoring_calibrations\`;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create table \`scoring_calibrations\` (\`id\` integer not null primary key autoincrement, \`scope\` TEXT not null, \`weights\` json not null, \`intercept\` double not null, \`ratings\` INTEGER not null, \`agreement\` json not null, \`fitted_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`scoring_calibrations_scope_unique\` on \`scoring_calibrations\` (\`scope\`);`,
    );

    this.addSql(`drop table if exists \`scoring_models\`;`);
  }
}
