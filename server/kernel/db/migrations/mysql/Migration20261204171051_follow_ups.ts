import { Migration } from '@mikro-orm/migrations';

export class Migration20261204171051_follow_ups extends Migration {
  override name = 'Migration20261204171051_follow_ups';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`follow_ups\` (\`id\` int unsigned not null auto_increment primary key, \`answer_id\` int not null, \`session_id\` int not null, \`application_id\` int not null, \`candidate_id\` int not null, \`report_id\` int null, \`question_id\` int not null, \`position\` int not null, \`question_text\` text not null, \`language\` varchar(5) not null, \`gap\` enum('example','action','role','result','numbers','indicator') not null, \`indicator\` varchar(500) null, \`competency\` varchar(100) null, \`reason\` varchar(500) not null, \`rule_text\` text not null, \`text\` text not null, \`phrased_by\` varchar(10) not null, \`rules_version\` varchar(40) not null, \`llm\` json null, \`status\` enum('pending','answered','withdrawn') not null default 'pending', \`transcript_at\` datetime(3) not null, \`available_at\` datetime(3) not null, \`answer_text\` text null, \`answered_at\` datetime(3) null, \`answer_score\` int null, \`answer_result\` json null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`follow_ups\` add unique \`follow_ups_answer_id_unique\` (\`answer_id\`);`);
    this.addSql(`alter table \`follow_ups\` add index \`follow_ups_session_id_index\` (\`session_id\`);`);
    this.addSql(
      `alter table \`follow_ups\` add index \`follow_ups_candidate_id_status_index\` (\`candidate_id\`, \`status\`);`,
    );

    this.addSql(`alter table \`interview_plans\` add \`follow_ups\` tinyint(1) not null default true;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`follow_ups\`;`);

    this.addSql(`alter table \`interview_plans\` drop column \`follow_ups\`;`);
  }
}
