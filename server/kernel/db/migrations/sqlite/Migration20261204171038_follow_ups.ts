import { Migration } from '@mikro-orm/migrations';

export class Migration20261204171038_follow_ups extends Migration {
  override name = 'Migration20261204171038_follow_ups';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`follow_ups\` (\`id\` integer not null primary key autoincrement, \`answer_id\` integer not null, \`session_id\` integer not null, \`application_id\` integer not null, \`candidate_id\` integer not null, \`report_id\` integer null, \`question_id\` integer not null, \`position\` integer not null, \`question_text\` text not null, \`language\` text not null, \`gap\` text check (\`gap\` in ('example', 'action', 'role', 'result', 'numbers', 'indicator')) not null, \`indicator\` text null, \`competency\` text null, \`reason\` text not null, \`rule_text\` text not null, \`text\` text not null, \`phrased_by\` text not null, \`rules_version\` text not null, \`llm\` json null, \`status\` text check (\`status\` in ('pending', 'answered', 'withdrawn')) not null default 'pending', \`transcript_at\` datetime not null, \`available_at\` datetime not null, \`answer_text\` text null, \`answered_at\` datetime null, \`answer_score\` integer null, \`answer_result\` json null, \`created_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`follow_ups_answer_id_unique\` on \`follow_ups\` (\`answer_id\`);`);
    this.addSql(`create index \`follow_ups_session_id_index\` on \`follow_ups\` (\`session_id\`);`);
    this.addSql(
      `create index \`follow_ups_candidate_id_status_index\` on \`follow_ups\` (\`candidate_id\`, \`status\`);`,
    );

    this.addSql(`alter table \`interview_plans\` add column \`follow_ups\` integer not null default true;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`follow_ups\`;`);

    this.addSql(`alter table \`interview_plans\` drop column \`follow_ups\`;`);
  }
}
