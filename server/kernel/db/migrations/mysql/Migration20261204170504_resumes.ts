import { Migration } from '@mikro-orm/migrations';

export class Migration20261204170504_resumes extends Migration {
  override name = 'Migration20261204170504_resumes';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`resumes\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int unsigned not null, \`job_id\` int unsigned null, \`uploaded_by_id\` int unsigned null, \`object_key\` varchar(200) null, \`file_name\` varchar(200) not null, \`kind\` enum('pdf','docx','jpeg','png') not null, \`size\` int not null, \`pages\` int null, \`status\` enum('pending','parsed','failed','erased') not null default 'pending', \`error_code\` varchar(64) null, \`method\` varchar(16) null, \`text\` text null, \`profile\` json null, \`consent_at\` datetime(3) not null, \`consent_basis\` varchar(16) not null, \`pool_until\` datetime(3) null, \`extract_ms\` int null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`resumes\` add index \`resumes_candidate_id_index\` (\`candidate_id\`);`);
    this.addSql(`alter table \`resumes\` add index \`resumes_job_id_index\` (\`job_id\`);`);
    this.addSql(`alter table \`resumes\` add index \`resumes_uploaded_by_id_index\` (\`uploaded_by_id\`);`);
    this.addSql(
      `alter table \`resumes\` add index \`resumes_job_id_status_index\` (\`job_id\`, \`status\`);`,
    );

    this.addSql(
      `create table \`screening_decisions\` (\`id\` int unsigned not null auto_increment primary key, \`job_id\` int unsigned not null, \`candidate_id\` int unsigned not null, \`resume_id\` int unsigned null, \`decision\` enum('invite','reject','pool') not null, \`feedback\` text null, \`score\` int not null, \`decided_by_id\` int unsigned not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add index \`screening_decisions_job_id_index\` (\`job_id\`);`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add index \`screening_decisions_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add index \`screening_decisions_resume_id_index\` (\`resume_id\`);`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add index \`screening_decisions_decided_by_id_index\` (\`decided_by_id\`);`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add unique \`screening_decisions_job_id_candidate_id_unique\` (\`job_id\`, \`candidate_id\`);`,
    );

    this.addSql(
      `alter table \`resumes\` add constraint \`resumes_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`resumes\` add constraint \`resumes_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`resumes\` add constraint \`resumes_uploaded_by_id_foreign\` foreign key (\`uploaded_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`screening_decisions\` add constraint \`screening_decisions_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add constraint \`screening_decisions_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add constraint \`screening_decisions_resume_id_foreign\` foreign key (\`resume_id\`) references \`resumes\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`screening_decisions\` add constraint \`screening_decisions_decided_by_id_foreign\` foreign key (\`decided_by_id\`) references \`users\` (\`id\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table \`screening_decisions\` drop foreign key \`screening_decisions_resume_id_foreign\`;`,
    );

    this.addSql(`drop table if exists \`resumes\`;`);
    this.addSql(`drop table if exists \`screening_decisions\`;`);
  }
}
