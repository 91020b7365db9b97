import { Migration } from '@mikro-orm/migrations';

export class Migration20261204102435_scoring_models extends Migration {
  override name = 'Migration20261204102435_scoring_models';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`scoring_models\` (\`id\` int unsigned not null auto_increment primary key, \`version\` varchar(60) not null, \`status\` enum('active','rejected','retired') not null, \`reason\` enum('manual','ratings','nightly') not null, \`ratings\` int not null, \`cv\` json null, \`decision\` varchar(300) not null, \`model\` json not null, \`fitted_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`scoring_models\` add unique \`scoring_models_version_unique\` (\`version\`);`);
    this.addSql(`alter table \`scoring_models\` add index \`scoring_models_status_index\` (\`status\`);`);

    this.addSql(`drop table if exists \`scoring_calibrations\`;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create table \`scoring_calibrations\` (\`id\` int unsigned not null auto_increment primary key, \`scope\` varchar(60) not null, \`weights\` json not null, \`intercept\` double not null, \`ratings\` int not null, \`agreement\` json not null, \`fitted_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`scoring_calibrations\` add unique \`scoring_calibrations_scope_unique\` (\`scope\`);`,
    );

    this.addSql(`drop table if exists \`scoring_models\`;`);
  }
}
