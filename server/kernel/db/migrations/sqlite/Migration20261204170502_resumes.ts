import { Migration } from '@mikro-orm/migrations';

export class Migration20261204170502_resumes extends Migration {
  override name = 'Migration20261204170502_resumes';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`resumes\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`job_id\` integer null, \`uploaded_by_id\` integer null, \`object_key\` text null, \`file_name\` text not null, \`kind\` text check (\`kind\` in ('pdf', 'docx', 'jpeg', 'png')) not null, \`size\` integer not null, \`pages\` integer null, \`status\` text check (\`status\` in ('pending', 'parsed', 'failed', 'erased')) not null default 'pending', \`error_code\` text null, \`method\` text null, \`text\` text null, \`profile\` json null, \`consent_at\` datetime not null, \`consent_basis\` text not null, \`pool_until\` datetime null, \`extract_ms\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`resumes_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`), constraint \`resumes_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`) on delete set null, constraint \`resumes_uploaded_by_id_foreign\` foreign key (\`uploaded_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`resumes_candidate_id_index\` on \`resumes\` (\`candidate_id\`);`);
    this.addSql(`create index \`resumes_job_id_index\` on \`resumes\` (\`job_id\`);`);
    this.addSql(`create index \`resumes_uploaded_by_id_index\` on \`resumes\` (\`uploaded_by_id\`);`);
    this.addSql(`create index \`resumes_job_id_status_index\` on \`resumes\` (\`job_id\`, \`status\`);`);

    this.addSql(
      `create table \`screening_decisions\` (\`id\` integer not null primary key autoincrement, \`job_id\` integer not null, \`candidate_id\` integer not null, \`resume_id\` integer null, \`decision\` text check (\`decision\` in ('invite', 'reject', 'pool')) not null, \`feedback\` text null, \`score\` integer not null, \`decided_by_id\` integer not null, \`created_at\` datetime not null, constraint \`screening_decisions_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`), constraint \`screening_decisions_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`), constraint \`screening_decisions_resume_id_foreign\` foreign key (\`resume_id\`) references \`resumes\` (\`id\`) on delete set null, constraint \`screening_decisions_decided_by_id_foreign\` foreign key (\`decided_by_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(`create index \`screening_decisions_job_id_index\` on \`screening_decisions\` (\`job_id\`);`);
    this.addSql(
      `create index \`screening_decisions_candidate_id_index\` on \`screening_decisions\` (\`candidate_id\`);`,
    );
    this.addSql(
      `create index \`screening_decisions_resume_id_index\` on \`screening_decisions\` (\`resume_id\`);`,
    );
    this.addSql(
      `create index \`screening_decisions_decided_by_id_index\` on \`screening_decisions\` (\`decided_by_id\`);`,
    );
    this.addSql(
      `create unique index \`screening_decisions_job_id_candidate_id_unique\` on \`screening_decisions\` (\`job_id\`, \`candidate_id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`resumes\`;`);
    this.addSql(`drop table if exists \`screening_decisions\`;`);
  }
}
