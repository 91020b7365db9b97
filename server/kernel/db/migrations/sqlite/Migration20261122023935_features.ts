import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023935_features extends Migration {
  override name = 'Migration20261122023935_features';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`answer_scores\` (\`id\` integer not null primary key autoincrement, \`answer_id\` integer not null, \`session_id\` integer not null, \`application_id\` integer not null, \`question_id\` integer not null, \`overall\` integer not null, \`result\` json not null, \`scorer_version\` text not null, \`weights_source\` text not null, \`llm\` json null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`answer_scores_answer_id_unique\` on \`answer_scores\` (\`answer_id\`);`,
    );
    this.addSql(`create index \`answer_scores_session_id_index\` on \`answer_scores\` (\`session_id\`);`);
    this.addSql(`create index \`answer_scores_question_id_index\` on \`answer_scores\` (\`question_id\`);`);

    this.addSql(
      `create table \`answer_transcripts\` (\`id\` integer not null primary key autoincrement, \`answer_id\` integer not null, \`session_id\` integer not null, \`application_id\` integer not null, \`status\` text check (\`status\` in ('done', 'empty', 'failed', 'typed')) not null, \`object_key\` text null, \`position\` integer not null, \`question_text\` text not null, \`provider\` text not null, \`model\` text null, \`task_id\` text null, \`language\` text not null, \`text\` text null, \`sentences\` json not null, \`duration_ms\` integer null, \`error\` text null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`answer_transcripts_answer_id_unique\` on \`answer_transcripts\` (\`answer_id\`);`,
    );
    this.addSql(
      `create index \`answer_transcripts_session_id_index\` on \`answer_transcripts\` (\`session_id\`);`,
    );

    this.addSql(
      `create table \`approval_templates\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('second_round', 'offer')) not null, \`process_code\` text not null, \`form_version\` integer not null default 1, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`approval_templates_kind_unique\` on \`approval_templates\` (\`kind\`);`,
    );

    this.addSql(
      `create table \`bot_inbound_messages\` (\`id\` integer not null primary key autoincrement, \`msg_id\` text not null, \`sender_staff_id\` text null, \`conversation_type\` text not null, \`command\` text not null, \`received_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`bot_inbound_messages_msg_id_unique\` on \`bot_inbound_messages\` (\`msg_id\`);`,
    );
    this.addSql(
      `create index \`bot_inbound_messages_sender_staff_id_received_at_index\` on \`bot_inbound_messages\` (\`sender_staff_id\`, \`received_at\`);`,
    );

    this.addSql(
      `create table \`demographic_self_ids\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`categories\` json not null, \`updated_at\` datetime not null, constraint \`demographic_self_ids_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`));`,
    );
    this.addSql(
      `create unique index \`demographic_self_ids_candidate_id_unique\` on \`demographic_self_ids\` (\`candidate_id\`);`,
    );

    this.addSql(
      `create table \`inbound_events\` (\`id\` integer not null primary key autoincrement, \`dedupe_key\` text not null, \`event_type\` text not null, \`event_id\` text null, \`source\` text check (\`source\` in ('stream', 'http', 'reconcile', 'sandbox')) not null, \`payload\` json not null, \`outcome\` text not null, \`received_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`inbound_events_dedupe_key_unique\` on \`inbound_events\` (\`dedupe_key\`);`,
    );

    this.addSql(
      `create table \`inbox_messages\` (\`id\` integer not null primary key autoincrement, \`candidate_id\` integer not null, \`outbox_key\` text not null, \`topic\` text not null, \`title\` text not null, \`body\` text not null, \`buttons\` json not null, \`read_at\` datetime null, \`created_at\` datetime not null, constraint \`inbox_messages_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`));`,
    );
    this.addSql(
      `create index \`inbox_messages_candidate_id_index\` on \`inbox_messages\` (\`candidate_id\`);`,
    );
    this.addSql(
      `create unique index \`inbox_messages_outbox_key_unique\` on \`inbox_messages\` (\`outbox_key\`);`,
    );
    this.addSql(
      `create index \`inbox_messages_candidate_id_created_at_index\` on \`inbox_messages\` (\`candidate_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`scoring_calibrations\` (\`id\` integer not null primary key autoincrement, \`scope\` text not null, \`weights\` json not null, \`intercept\` double not null, \`ratings\` integer not null, \`agreement\` json not null, \`fitted_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`scoring_calibrations_scope_unique\` on \`scoring_calibrations\` (\`scope\`);`,
    );

    this.addSql(
      `create table \`job_rules\` (\`id\` integer not null primary key autoincrement, \`job_id\` integer not null, \`pass_threshold\` integer not null default 75, \`reject_threshold\` integer not null default 50, \`approver_user_ids\` json not null, \`approval_mode\` text check (\`approval_mode\` in ('AND', 'OR')) not null default 'AND', \`cc_user_ids\` json not null, \`second_round_process_code\` text null, \`offer_process_code\` text null, \`updated_at\` datetime not null, constraint \`job_rules_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`));`,
    );
    this.addSql(`create index \`job_rules_job_id_index\` on \`job_rules\` (\`job_id\`);`);
    this.addSql(`create unique index \`job_rules_job_id_unique\` on \`job_rules\` (\`job_id\`);`);

    this.addSql(
      `create table \`plan_schedules\` (\`id\` integer not null primary key autoincrement, \`plan_id\` integer not null, \`kind\` text check (\`kind\` in ('ai_interview', 'second_round')) not null, \`session_type\` text check (\`session_type\` in ('ai', 'live')) not null, \`duration_minutes\` integer not null, \`step_minutes\` integer null, \`capacity_per_slot\` integer not null default 1, \`horizon_days\` integer not null default 14, \`min_notice_minutes\` integer not null default 240, \`buffer_before_minutes\` integer not null default 0, \`buffer_after_minutes\` integer not null default 0, \`daily_cap_per_interviewer\` integer null, \`reschedule_cutoff_hours\` integer not null default 24, \`cancel_cutoff_hours\` integer not null default 12, \`max_reschedules\` integer not null default 2, \`time_zone\` text not null default 'Asia/Shanghai', \`weekly_hours\` json not null, \`date_overrides\` json not null, \`active\` integer not null default true, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`plan_schedules_plan_id_foreign\` foreign key (\`plan_id\`) references \`interview_plans\` (\`id\`));`,
    );
    this.addSql(`create index \`plan_schedules_plan_id_index\` on \`plan_schedules\` (\`plan_id\`);`);
    this.addSql(
      `create unique index \`plan_schedules_plan_id_kind_unique\` on \`plan_schedules\` (\`plan_id\`, \`kind\`);`,
    );

    this.addSql(
      `create table \`slot_counters\` (\`id\` integer not null primary key autoincrement, \`schedule_id\` integer not null, \`start_at\` datetime not null, \`capacity\` integer not null, \`taken\` integer not null default 0, constraint \`slot_counters_schedule_id_foreign\` foreign key (\`schedule_id\`) references \`plan_schedules\` (\`id\`));`,
    );
    this.addSql(`create index \`slot_counters_schedule_id_index\` on \`slot_counters\` (\`schedule_id\`);`);
    this.addSql(
      `create unique index \`slot_counters_schedule_id_start_at_unique\` on \`slot_counters\` (\`schedule_id\`, \`start_at\`);`,
    );

    this.addSql(
      `create table \`plan_interviewers\` (\`id\` integer not null primary key autoincrement, \`schedule_id\` integer not null, \`user_id\` integer not null, \`created_at\` datetime not null, constraint \`plan_interviewers_schedule_id_foreign\` foreign key (\`schedule_id\`) references \`plan_schedules\` (\`id\`), constraint \`plan_interviewers_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(
      `create index \`plan_interviewers_schedule_id_index\` on \`plan_interviewers\` (\`schedule_id\`);`,
    );
    this.addSql(`create index \`plan_interviewers_user_id_index\` on \`plan_interviewers\` (\`user_id\`);`);
    this.addSql(
      `create unique index \`plan_interviewers_schedule_id_user_id_unique\` on \`plan_interviewers\` (\`schedule_id\`, \`user_id\`);`,
    );

    this.addSql(
      `create table \`review_assignments\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`reviewer_id\` integer not null, \`assigned_by_id\` integer null, \`created_at\` datetime not null, constraint \`review_assignments_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`review_assignments_reviewer_id_foreign\` foreign key (\`reviewer_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(
      `create index \`review_assignments_application_id_index\` on \`review_assignments\` (\`application_id\`);`,
    );
    this.addSql(
      `create index \`review_assignments_reviewer_id_index\` on \`review_assignments\` (\`reviewer_id\`);`,
    );
    this.addSql(
      `create unique index \`review_assignments_application_id_reviewer_id_unique\` on \`review_assignments\` (\`application_id\`, \`reviewer_id\`);`,
    );

    this.addSql(
      `create table \`interview_sessions\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`candidate_id\` integer not null, \`job_id\` integer not null, \`plan_id\` integer not null, \`status\` text check (\`status\` in ('open', 'submitted', 'withdrawn')) not null default 'open', \`audio_only\` integer not null default false, \`recorder_mime\` text null, \`started_at\` datetime not null, \`submitted_at\` datetime null, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`interview_sessions_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`interview_sessions_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`), constraint \`interview_sessions_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`), constraint \`interview_sessions_plan_id_foreign\` foreign key (\`plan_id\`) references \`interview_plans\` (\`id\`));`,
    );
    this.addSql(
      `create unique index \`interview_sessions_application_id_unique\` on \`interview_sessions\` (\`application_id\`);`,
    );
    this.addSql(
      `create index \`interview_sessions_candidate_id_index\` on \`interview_sessions\` (\`candidate_id\`);`,
    );
    this.addSql(`create index \`interview_sessions_job_id_index\` on \`interview_sessions\` (\`job_id\`);`);
    this.addSql(`create index \`interview_sessions_plan_id_index\` on \`interview_sessions\` (\`plan_id\`);`);

    this.addSql(
      `create table \`interview_answers\` (\`id\` integer not null primary key autoincrement, \`session_id\` integer not null, \`question_id\` integer not null, \`state\` text check (\`state\` in ('served', 'answering', 'uploaded', 'verified', 'retake', 'late', 'submitted')) not null, \`served_at\` datetime not null, \`window_started_at\` datetime null, \`retakes_used\` integer not null default 0, \`attempts\` integer not null default 0, \`final_attempt\` integer null, \`text\` text null, \`late\` integer not null default false, \`locked_at\` datetime null, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`interview_answers_session_id_foreign\` foreign key (\`session_id\`) references \`interview_sessions\` (\`id\`), constraint \`interview_answers_question_id_foreign\` foreign key (\`question_id\`) references \`interview_questions\` (\`id\`));`,
    );
    this.addSql(
      `create index \`interview_answers_session_id_index\` on \`interview_answers\` (\`session_id\`);`,
    );
    this.addSql(
      `create index \`interview_answers_question_id_index\` on \`interview_answers\` (\`question_id\`);`,
    );
    this.addSql(
      `create unique index \`interview_answers_session_id_question_id_unique\` on \`interview_answers\` (\`session_id\`, \`question_id\`);`,
    );

    this.addSql(
      `create table \`interview_attempts\` (\`id\` integer not null primary key autoincrement, \`answer_id\` integer not null, \`number\` integer not null, \`object_key\` text not null, \`content_type\` text not null, \`kind\` text check (\`kind\` in ('video', 'audio')) not null, \`status\` text check (\`status\` in ('granted', 'verified', 'rejected')) not null default 'granted', \`bytes\` bigint null, \`duration_ms\` integer null, \`flags\` json null, \`metrics\` json null, \`reject_reason\` text null, \`granted_at\` datetime not null, \`verified_at\` datetime null, \`late\` integer not null default false, constraint \`interview_attempts_answer_id_foreign\` foreign key (\`answer_id\`) references \`interview_answers\` (\`id\`));`,
    );
    this.addSql(
      `create index \`interview_attempts_answer_id_index\` on \`interview_attempts\` (\`answer_id\`);`,
    );
    this.addSql(
      `create unique index \`interview_attempts_object_key_unique\` on \`interview_attempts\` (\`object_key\`);`,
    );
    this.addSql(
      `create unique index \`interview_attempts_answer_id_number_unique\` on \`interview_attempts\` (\`answer_id\`, \`number\`);`,
    );

    this.addSql(
      `create table \`interview_reports\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`session_id\` integer not null, \`candidate_id\` integer not null, \`job_id\` integer not null, \`status\` text check (\`status\` in ('ready', 'needs_review', 'person_only')) not null, \`overall\` integer null, \`job_match\` integer null, \`competencies\` json not null, \`strengths\` json not null, \`gaps\` json not null, \`flags\` json not null, \`recommendation\` text not null, \`scorer_version\` text null, \`weights_source\` text null, \`released_at\` datetime null, \`released_by_id\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`interview_reports_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`));`,
    );
    this.addSql(
      `create index \`interview_reports_application_id_index\` on \`interview_reports\` (\`application_id\`);`,
    );
    this.addSql(
      `create unique index \`interview_reports_session_id_unique\` on \`interview_reports\` (\`session_id\`);`,
    );
    this.addSql(`create index \`interview_reports_status_index\` on \`interview_reports\` (\`status\`);`);

    this.addSql(
      `create table \`review_tasks\` (\`id\` integer not null primary key autoincrement, \`key\` text not null, \`application_id\` integer not null, \`report_id\` integer null, \`kind\` text check (\`kind\` in ('quality', 'person_only', 'explanation', 'human_review')) not null, \`reason\` text not null, \`requested_by_candidate_id\` integer null, \`due_at\` datetime not null, \`status\` text check (\`status\` in ('open', 'done')) not null default 'open', \`resolved_by_id\` integer null, \`resolved_at\` datetime null, \`created_at\` datetime not null, constraint \`review_tasks_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`review_tasks_report_id_foreign\` foreign key (\`report_id\`) references \`interview_reports\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create unique index \`review_tasks_key_unique\` on \`review_tasks\` (\`key\`);`);
    this.addSql(
      `create index \`review_tasks_application_id_index\` on \`review_tasks\` (\`application_id\`);`,
    );
    this.addSql(`create index \`review_tasks_report_id_index\` on \`review_tasks\` (\`report_id\`);`);
    this.addSql(
      `create index \`review_tasks_status_due_at_index\` on \`review_tasks\` (\`status\`, \`due_at\`);`,
    );

    this.addSql(
      `create table \`report_ratings\` (\`id\` integer not null primary key autoincrement, \`report_id\` integer not null, \`reviewer_id\` integer not null, \`competency\` text not null, \`score\` integer not null, \`comment\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`report_ratings_report_id_foreign\` foreign key (\`report_id\`) references \`interview_reports\` (\`id\`), constraint \`report_ratings_reviewer_id_foreign\` foreign key (\`reviewer_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(`create index \`report_ratings_report_id_index\` on \`report_ratings\` (\`report_id\`);`);
    this.addSql(`create index \`report_ratings_reviewer_id_index\` on \`report_ratings\` (\`reviewer_id\`);`);
    this.addSql(
      `create unique index \`report_ratings_report_id_reviewer_id_competency_unique\` on \`report_ratings\` (\`report_id\`, \`reviewer_id\`, \`competency\`);`,
    );

    this.addSql(
      `create table \`interview_consents\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`candidate_id\` integer not null, \`action\` text check (\`action\` in ('grant', 'withdraw')) not null, \`scopes\` json not null, \`notice_version\` text not null, \`notice_hash\` text not null, \`locale\` text not null, \`ip\` text not null, \`user_agent\` text not null, \`created_at\` datetime not null, constraint \`interview_consents_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`interview_consents_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`));`,
    );
    this.addSql(
      `create index \`interview_consents_application_id_index\` on \`interview_consents\` (\`application_id\`);`,
    );
    this.addSql(
      `create index \`interview_consents_candidate_id_index\` on \`interview_consents\` (\`candidate_id\`);`,
    );
    this.addSql(
      `create index \`interview_consents_application_id_created_at_index\` on \`interview_consents\` (\`application_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`application_reviews\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`report_id\` integer null, \`overall\` integer null, \`report\` json null, \`suggestion\` text check (\`suggestion\` in ('pass', 'review', 'reject')) not null, \`reason\` text not null, \`remark\` text null, \`updated_at\` datetime not null, constraint \`application_reviews_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`));`,
    );
    this.addSql(
      `create index \`application_reviews_application_id_index\` on \`application_reviews\` (\`application_id\`);`,
    );
    this.addSql(
      `create unique index \`application_reviews_application_id_unique\` on \`application_reviews\` (\`application_id\`);`,
    );

    this.addSql(
      `create table \`interviewer_schedules\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`time_zone\` text not null default 'Asia/Shanghai', \`weekly_hours\` json not null, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`interviewer_schedules_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(
      `create unique index \`interviewer_schedules_user_id_unique\` on \`interviewer_schedules\` (\`user_id\`);`,
    );

    this.addSql(
      `create table \`interviewer_days\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`date\` text not null, \`version\` integer not null default 1, constraint \`interviewer_days_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(`create index \`interviewer_days_user_id_index\` on \`interviewer_days\` (\`user_id\`);`);
    this.addSql(
      `create unique index \`interviewer_days_user_id_date_unique\` on \`interviewer_days\` (\`user_id\`, \`date\`);`,
    );

    this.addSql(
      `create table \`interview_accommodations\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`extra_time_percent\` integer not null default 0, \`extra_retakes\` integer not null default 0, \`audio_only_allowed\` integer not null default false, \`note\` text not null default '', \`updated_by_id\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`interview_accommodations_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`interview_accommodations_updated_by_id_foreign\` foreign key (\`updated_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create unique index \`interview_accommodations_application_id_unique\` on \`interview_accommodations\` (\`application_id\`);`,
    );
    this.addSql(
      `create index \`interview_accommodations_updated_by_id_index\` on \`interview_accommodations\` (\`updated_by_id\`);`,
    );

    this.addSql(
      `create table \`bookings\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`schedule_id\` integer not null, \`kind\` text check (\`kind\` in ('ai_interview', 'second_round')) not null, \`interviewer_id\` integer null, \`start_at\` datetime not null, \`end_at\` datetime not null, \`buffer_before_minutes\` integer not null default 0, \`buffer_after_minutes\` integer not null default 0, \`time_zone\` text not null, \`status\` text check (\`status\` in ('booked', 'cancelled', 'no_show', 'completed')) not null default 'booked', \`active_key\` text null, \`reschedule_count\` integer not null default 0, \`cancel_reason\` text null, \`cancelled_at\` datetime null, \`no_show_marked_by_id\` integer null, \`no_show_at\` datetime null, \`calendar_event_id\` text null, \`calendar_owner\` text null, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`bookings_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`bookings_schedule_id_foreign\` foreign key (\`schedule_id\`) references \`plan_schedules\` (\`id\`), constraint \`bookings_interviewer_id_foreign\` foreign key (\`interviewer_id\`) references \`users\` (\`id\`) on delete set null, constraint \`bookings_no_show_marked_by_id_foreign\` foreign key (\`no_show_marked_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`bookings_application_id_index\` on \`bookings\` (\`application_id\`);`);
    this.addSql(`create index \`bookings_schedule_id_index\` on \`bookings\` (\`schedule_id\`);`);
    this.addSql(`create index \`bookings_interviewer_id_index\` on \`bookings\` (\`interviewer_id\`);`);
    this.addSql(`create unique index \`bookings_active_key_unique\` on \`bookings\` (\`active_key\`);`);
    this.addSql(
      `create index \`bookings_no_show_marked_by_id_index\` on \`bookings\` (\`no_show_marked_by_id\`);`,
    );
    this.addSql(
      `create index \`bookings_interviewer_id_status_start_at_index\` on \`bookings\` (\`interviewer_id\`, \`status\`, \`start_at\`);`,
    );
    this.addSql(
      `create index \`bookings_schedule_id_status_start_at_index\` on \`bookings\` (\`schedule_id\`, \`status\`, \`start_at\`);`,
    );

    this.addSql(
      `create table \`availability_overrides\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`date\` text not null, \`ranges\` json not null, \`created_at\` datetime not null, constraint \`availability_overrides_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(
      `create index \`availability_overrides_user_id_index\` on \`availability_overrides\` (\`user_id\`);`,
    );
    this.addSql(
      `create unique index \`availability_overrides_user_id_date_unique\` on \`availability_overrides\` (\`user_id\`, \`date\`);`,
    );

    this.addSql(
      `create table \`approvals\` (\`id\` integer not null primary key autoincrement, \`application_id\` integer not null, \`kind\` text check (\`kind\` in ('second_round', 'offer')) not null, \`status\` text check (\`status\` in ('requested', 'running', 'agreed', 'refused', 'terminated', 'failed')) not null default 'requested', \`active_key\` text null, \`process_code\` text null, \`process_instance_id\` text null, \`originator_user_id\` text not null, \`approver_user_ids\` json not null, \`approval_mode\` text not null, \`cc_user_ids\` json not null, \`form\` json not null, \`offer\` json null, \`requested_by_id\` integer null, \`decided_by_user_id\` text null, \`remark\` text null, \`last_error\` text null, \`started_at\` datetime not null, \`decided_at\` datetime null, \`checked_at\` datetime null, constraint \`approvals_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`), constraint \`approvals_requested_by_id_foreign\` foreign key (\`requested_by_id\`) references \`users\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`approvals_application_id_index\` on \`approvals\` (\`application_id\`);`);
    this.addSql(`create unique index \`approvals_active_key_unique\` on \`approvals\` (\`active_key\`);`);
    this.addSql(
      `create unique index \`approvals_process_instance_id_unique\` on \`approvals\` (\`process_instance_id\`);`,
    );
    this.addSql(`create index \`approvals_requested_by_id_index\` on \`approvals\` (\`requested_by_id\`);`);
    this.addSql(
      `create index \`approvals_status_started_at_index\` on \`approvals\` (\`status\`, \`started_at\`);`,
    );

    // Hand-edited: the generator rebuilt the table and copied NULL into the new NOT NULL
    // columns; SQLite adds columns with constant defaults in place, keeping existing rows.
    this.addSql(
      `alter table \`interview_questions\` add column \`answer_type\` text check (\`answer_type\` in ('video', 'audio', 'text')) not null default 'video';`,
    );
    this.addSql(
      `alter table \`interview_questions\` add column \`prompt_media_kind\` text check (\`prompt_media_kind\` in ('image', 'video')) null;`,
    );
    this.addSql(`alter table \`interview_questions\` add column \`prompt_media_url\` text null;`);
    this.addSql(`alter table \`interview_questions\` add column \`indicators\` json null;`);
    this.addSql(`alter table \`interview_questions\` add column \`reference_answers\` json null;`);
    this.addSql(`alter table \`interview_questions\` add column \`weight\` double not null default 1;`);
    this.addSql(
      `alter table \`interview_questions\` add column \`practice\` integer not null default false;`,
    );
    this.addSql(
      `alter table \`interview_questions\` add column \`max_chars\` integer not null default 2000;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`answer_scores\`;`);
    this.addSql(`drop table if exists \`answer_transcripts\`;`);
    this.addSql(`drop table if exists \`approval_templates\`;`);
    this.addSql(`drop table if exists \`bot_inbound_messages\`;`);
    this.addSql(`drop table if exists \`demographic_self_ids\`;`);
    this.addSql(`drop table if exists \`inbound_events\`;`);
    this.addSql(`drop table if exists \`inbox_messages\`;`);
    this.addSql(`drop table if exists \`scoring_calibrations\`;`);
    this.addSql(`drop table if exists \`job_rules\`;`);
    this.addSql(`drop table if exists \`plan_schedules\`;`);
    this.addSql(`drop table if exists \`slot_counters\`;`);
    this.addSql(`drop table if exists \`plan_interviewers\`;`);
    this.addSql(`drop table if exists \`review_assignments\`;`);
    this.addSql(`drop table if exists \`interview_sessions\`;`);
    this.addSql(`drop table if exists \`interview_answers\`;`);
    this.addSql(`drop table if exists \`interview_attempts\`;`);
    this.addSql(`drop table if exists \`interview_reports\`;`);
    this.addSql(`drop table if exists \`review_tasks\`;`);
    this.addSql(`drop table if exists \`report_ratings\`;`);
    this.addSql(`drop table if exists \`interview_consents\`;`);
    this.addSql(`drop table if exists \`application_reviews\`;`);
    this.addSql(`drop table if exists \`interviewer_schedules\`;`);
    this.addSql(`drop table if exists \`interviewer_days\`;`);
    this.addSql(`drop table if exists \`interview_accommodations\`;`);
    this.addSql(`drop table if exists \`bookings\`;`);
    this.addSql(`drop table if exists \`availability_overrides\`;`);
    this.addSql(`drop table if exists \`approvals\`;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`interview_questions__temp_alter\` (\`id\` integer not null primary key autoincrement, \`plan_id\` INTEGER not null, \`position\` INTEGER not null, \`text\` TEXT not null, \`competencies\` json not null, \`think_seconds\` INTEGER not null, \`answer_seconds\` INTEGER not null, \`retakes\` INTEGER not null, \`created_at\` datetime not null, constraint \`interview_questions_plan_id_foreign\` foreign key (\`plan_id\`) references \`interview_plans\` (\`id\`) on update no action on delete no action);`,
    );
    this.addSql(
      `insert into \`interview_questions__temp_alter\` select \`id\`, \`plan_id\`, \`position\`, \`text\`, \`competencies\`, \`think_seconds\`, \`answer_seconds\`, \`retakes\`, \`created_at\` from \`interview_questions\`;`,
    );
    this.addSql(`drop table \`interview_questions\`;`);
    this.addSql(`alter table \`interview_questions__temp_alter\` rename to \`interview_questions\`;`);
    this.addSql(
      `create unique index \`interview_questions_plan_id_position_unique\` on \`interview_questions\` (\`plan_id\`, \`position\`);`,
    );
    this.addSql(
      `create index \`interview_questions_plan_id_index\` on \`interview_questions\` (\`plan_id\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }
}
