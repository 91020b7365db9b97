import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023935_features extends Migration {
  override name = 'Migration20261122023935_features';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`answer_scores\` (\`id\` int unsigned not null auto_increment primary key, \`answer_id\` int not null, \`session_id\` int not null, \`application_id\` int not null, \`question_id\` int not null, \`overall\` int not null, \`result\` json not null, \`scorer_version\` varchar(40) not null, \`weights_source\` varchar(80) not null, \`llm\` json null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`answer_scores\` add unique \`answer_scores_answer_id_unique\` (\`answer_id\`);`,
    );
    this.addSql(
      `alter table \`answer_scores\` add index \`answer_scores_session_id_index\` (\`session_id\`);`,
    );
    this.addSql(
      `alter table \`answer_scores\` add index \`answer_scores_question_id_index\` (\`question_id\`);`,
    );

    this.addSql(
      `create table \`answer_transcripts\` (\`id\` int unsigned not null auto_increment primary key, \`answer_id\` int not null, \`session_id\` int not null, \`application_id\` int not null, \`status\` enum('done','empty','failed','typed') not null, \`object_key\` varchar(500) null, \`position\` int not null, \`question_text\` text not null, \`provider\` varchar(20) not null, \`model\` varchar(100) null, \`task_id\` varchar(100) null, \`language\` varchar(5) not null, \`text\` text null, \`sentences\` json not null, \`duration_ms\` int null, \`error\` varchar(1000) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`answer_transcripts\` add unique \`answer_transcripts_answer_id_unique\` (\`answer_id\`);`,
    );
    this.addSql(
      `alter table \`answer_transcripts\` add index \`answer_transcripts_session_id_index\` (\`session_id\`);`,
    );

    this.addSql(
      `create table \`approval_templates\` (\`id\` int unsigned not null auto_increment primary key, \`kind\` enum('second_round','offer') not null, \`process_code\` varchar(64) not null, \`form_version\` int not null default 1, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`approval_templates\` add unique \`approval_templates_kind_unique\` (\`kind\`);`,
    );

    this.addSql(
      `create table \`bot_inbound_messages\` (\`id\` int unsigned not null auto_increment primary key, \`msg_id\` varchar(128) not null, \`sender_staff_id\` varchar(64) null, \`conversation_type\` varchar(4) not null, \`command\` varchar(40) not null, \`received_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`bot_inbound_messages\` add unique \`bot_inbound_messages_msg_id_unique\` (\`msg_id\`);`,
    );
    this.addSql(
      `alter table \`bot_inbound_messages\` add index \`bot_inbound_messages_sender_staff_id_received_at_index\` (\`sender_staff_id\`, \`received_at\`);`,
    );

    this.addSql(
      `create table \`demographic_self_ids\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int unsigned not null, \`categories\` json not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`demographic_self_ids\` add unique \`demographic_self_ids_candidate_id_unique\` (\`candidate_id\`);`,
    );

    this.addSql(
      `create table \`inbound_events\` (\`id\` int unsigned not null auto_increment primary key, \`dedupe_key\` varchar(191) not null, \`event_type\` varchar(64) not null, \`event_id\` varchar(100) null, \`source\` enum('stream','http','reconcile','sandbox') not null, \`payload\` json not null, \`outcome\` varchar(200) not null, \`received_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`inbound_events\` add unique \`inbound_events_dedupe_key_unique\` (\`dedupe_key\`);`,
    );

    this.addSql(
      `create table \`inbox_messages\` (\`id\` int unsigned not null auto_increment primary key, \`candidate_id\` int unsigned not null, \`outbox_key\` varchar(191) not null, \`topic\` varchar(100) not null, \`title\` varchar(200) not null, \`body\` text not null, \`buttons\` json not null, \`read_at\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`inbox_messages\` add index \`inbox_messages_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`inbox_messages\` add unique \`inbox_messages_outbox_key_unique\` (\`outbox_key\`);`,
    );
    this.addSql(
      `alter table \`inbox_messages\` add index \`inbox_messages_candidate_id_created_at_index\` (\`candidate_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`scoring_calibrations\` (\`id\` int unsigned not null auto_increment primary key, \`scope\` varchar(60) not null, \`weights\` json not null, \`intercept\` double not null, \`ratings\` int not null, \`agreement\` json not null, \`fitted_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`scoring_calibrations\` add unique \`scoring_calibrations_scope_unique\` (\`scope\`);`,
    );

    this.addSql(
      `create table \`job_rules\` (\`id\` int unsigned not null auto_increment primary key, \`job_id\` int unsigned not null, \`pass_threshold\` int not null default 75, \`reject_threshold\` int not null default 50, \`approver_user_ids\` json not null, \`approval_mode\` enum('AND','OR') not null default 'AND', \`cc_user_ids\` json not null, \`second_round_process_code\` varchar(64) null, \`offer_process_code\` varchar(64) null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`job_rules\` add index \`job_rules_job_id_index\` (\`job_id\`);`);
    this.addSql(`alter table \`job_rules\` add unique \`job_rules_job_id_unique\` (\`job_id\`);`);

    this.addSql(
      `create table \`plan_schedules\` (\`id\` int unsigned not null auto_increment primary key, \`plan_id\` int unsigned not null, \`kind\` enum('ai_interview','second_round') not null, \`session_type\` enum('ai','live') not null, \`duration_minutes\` int not null, \`step_minutes\` int null, \`capacity_per_slot\` int not null default 1, \`horizon_days\` int not null default 14, \`min_notice_minutes\` int not null default 240, \`buffer_before_minutes\` int not null default 0, \`buffer_after_minutes\` int not null default 0, \`daily_cap_per_interviewer\` int null, \`reschedule_cutoff_hours\` int not null default 24, \`cancel_cutoff_hours\` int not null default 12, \`max_reschedules\` int not null default 2, \`time_zone\` varchar(64) not null default 'Asia/Shanghai', \`weekly_hours\` json not null, \`date_overrides\` json not null, \`active\` tinyint(1) not null default true, \`version\` int not null default 1, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`plan_schedules\` add index \`plan_schedules_plan_id_index\` (\`plan_id\`);`);
    this.addSql(
      `alter table \`plan_schedules\` add unique \`plan_schedules_plan_id_kind_unique\` (\`plan_id\`, \`kind\`);`,
    );

    this.addSql(
      `create table \`slot_counters\` (\`id\` int unsigned not null auto_increment primary key, \`schedule_id\` int unsigned not null, \`start_at\` datetime(3) not null, \`capacity\` int not null, \`taken\` int not null default 0) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`slot_counters\` add index \`slot_counters_schedule_id_index\` (\`schedule_id\`);`,
    );
    this.addSql(
      `alter table \`slot_counters\` add unique \`slot_counters_schedule_id_start_at_unique\` (\`schedule_id\`, \`start_at\`);`,
    );

    this.addSql(
      `create table \`plan_interviewers\` (\`id\` int unsigned not null auto_increment primary key, \`schedule_id\` int unsigned not null, \`user_id\` int unsigned not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`plan_interviewers\` add index \`plan_interviewers_schedule_id_index\` (\`schedule_id\`);`,
    );
    this.addSql(
      `alter table \`plan_interviewers\` add index \`plan_interviewers_user_id_index\` (\`user_id\`);`,
    );
    this.addSql(
      `alter table \`plan_interviewers\` add unique \`plan_interviewers_schedule_id_user_id_unique\` (\`schedule_id\`, \`user_id\`);`,
    );

    this.addSql(
      `create table \`review_assignments\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`reviewer_id\` int unsigned not null, \`assigned_by_id\` int null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`review_assignments\` add index \`review_assignments_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`review_assignments\` add index \`review_assignments_reviewer_id_index\` (\`reviewer_id\`);`,
    );
    this.addSql(
      `alter table \`review_assignments\` add unique \`review_assignments_application_id_reviewer_id_unique\` (\`application_id\`, \`reviewer_id\`);`,
    );

    this.addSql(
      `create table \`interview_sessions\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`candidate_id\` int unsigned not null, \`job_id\` int unsigned not null, \`plan_id\` int unsigned not null, \`status\` enum('open','submitted','withdrawn') not null default 'open', \`audio_only\` tinyint(1) not null default false, \`recorder_mime\` varchar(100) null, \`started_at\` datetime(3) not null, \`submitted_at\` datetime(3) null, \`version\` int not null default 1, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interview_sessions\` add unique \`interview_sessions_application_id_unique\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`interview_sessions\` add index \`interview_sessions_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`interview_sessions\` add index \`interview_sessions_job_id_index\` (\`job_id\`);`,
    );
    this.addSql(
      `alter table \`interview_sessions\` add index \`interview_sessions_plan_id_index\` (\`plan_id\`);`,
    );

    this.addSql(
      `create table \`interview_answers\` (\`id\` int unsigned not null auto_increment primary key, \`session_id\` int unsigned not null, \`question_id\` int unsigned not null, \`state\` enum('served','answering','uploaded','verified','retake','late','submitted') not null, \`served_at\` datetime(3) not null, \`window_started_at\` datetime(3) null, \`retakes_used\` int not null default 0, \`attempts\` int not null default 0, \`final_attempt\` int null, \`text\` text null, \`late\` tinyint(1) not null default false, \`locked_at\` datetime(3) null, \`version\` int not null default 1, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interview_answers\` add index \`interview_answers_session_id_index\` (\`session_id\`);`,
    );
    this.addSql(
      `alter table \`interview_answers\` add index \`interview_answers_question_id_index\` (\`question_id\`);`,
    );
    this.addSql(
      `alter table \`interview_answers\` add unique \`interview_answers_session_id_question_id_unique\` (\`session_id\`, \`question_id\`);`,
    );

    this.addSql(
      `create table \`interview_attempts\` (\`id\` int unsigned not null auto_increment primary key, \`answer_id\` int unsigned not null, \`number\` int not null, \`object_key\` varchar(300) not null, \`content_type\` varchar(100) not null, \`kind\` enum('video','audio') not null, \`status\` enum('granted','verified','rejected') not null default 'granted', \`bytes\` bigint null, \`duration_ms\` int null, \`flags\` json null, \`metrics\` json null, \`reject_reason\` varchar(200) null, \`granted_at\` datetime(3) not null, \`verified_at\` datetime(3) null, \`late\` tinyint(1) not null default false) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interview_attempts\` add index \`interview_attempts_answer_id_index\` (\`answer_id\`);`,
    );
    this.addSql(
      `alter table \`interview_attempts\` add unique \`interview_attempts_object_key_unique\` (\`object_key\`);`,
    );
    this.addSql(
      `alter table \`interview_attempts\` add unique \`interview_attempts_answer_id_number_unique\` (\`answer_id\`, \`number\`);`,
    );

    this.addSql(
      `create table \`interview_reports\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`session_id\` int not null, \`candidate_id\` int not null, \`job_id\` int not null, \`status\` enum('ready','needs_review','person_only') not null, \`overall\` int null, \`job_match\` int null, \`competencies\` json not null, \`strengths\` json not null, \`gaps\` json not null, \`flags\` json not null, \`recommendation\` varchar(40) not null, \`scorer_version\` varchar(40) null, \`weights_source\` varchar(80) null, \`released_at\` datetime(3) null, \`released_by_id\` int null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interview_reports\` add index \`interview_reports_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`interview_reports\` add unique \`interview_reports_session_id_unique\` (\`session_id\`);`,
    );
    this.addSql(
      `alter table \`interview_reports\` add index \`interview_reports_status_index\` (\`status\`);`,
    );

    this.addSql(
      `create table \`review_tasks\` (\`id\` int unsigned not null auto_increment primary key, \`key\` varchar(120) not null, \`application_id\` int unsigned not null, \`report_id\` int unsigned null, \`kind\` enum('quality','person_only','explanation','human_review') not null, \`reason\` text not null, \`requested_by_candidate_id\` int null, \`due_at\` datetime(3) not null, \`status\` enum('open','done') not null default 'open', \`resolved_by_id\` int null, \`resolved_at\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`review_tasks\` add unique \`review_tasks_key_unique\` (\`key\`);`);
    this.addSql(
      `alter table \`review_tasks\` add index \`review_tasks_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(`alter table \`review_tasks\` add index \`review_tasks_report_id_index\` (\`report_id\`);`);
    this.addSql(
      `alter table \`review_tasks\` add index \`review_tasks_status_due_at_index\` (\`status\`, \`due_at\`);`,
    );

    this.addSql(
      `create table \`report_ratings\` (\`id\` int unsigned not null auto_increment primary key, \`report_id\` int unsigned not null, \`reviewer_id\` int unsigned not null, \`competency\` varchar(100) not null, \`score\` int not null, \`comment\` text null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`report_ratings\` add index \`report_ratings_report_id_index\` (\`report_id\`);`,
    );
    this.addSql(
      `alter table \`report_ratings\` add index \`report_ratings_reviewer_id_index\` (\`reviewer_id\`);`,
    );
    this.addSql(
      `alter table \`report_ratings\` add unique \`report_ratings_report_id_reviewer_id_competency_unique\` (\`report_id\`, \`reviewer_id\`, \`competency\`);`,
    );

    this.addSql(
      `create table \`interview_consents\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`candidate_id\` int unsigned not null, \`action\` enum('grant','withdraw') not null, \`scopes\` json not null, \`notice_version\` varchar(32) not null, \`notice_hash\` varchar(64) not null, \`locale\` varchar(16) not null, \`ip\` varchar(64) not null, \`user_agent\` varchar(500) not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interview_consents\` add index \`interview_consents_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`interview_consents\` add index \`interview_consents_candidate_id_index\` (\`candidate_id\`);`,
    );
    this.addSql(
      `alter table \`interview_consents\` add index \`interview_consents_application_id_created_at_index\` (\`application_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`application_reviews\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`report_id\` int null, \`overall\` int null, \`report\` json null, \`suggestion\` enum('pass','review','reject') not null, \`reason\` varchar(100) not null, \`remark\` text null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`application_reviews\` add index \`application_reviews_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`application_reviews\` add unique \`application_reviews_application_id_unique\` (\`application_id\`);`,
    );

    this.addSql(
      `create table \`interviewer_schedules\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`time_zone\` varchar(64) not null default 'Asia/Shanghai', \`weekly_hours\` json not null, \`version\` int not null default 1, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interviewer_schedules\` add unique \`interviewer_schedules_user_id_unique\` (\`user_id\`);`,
    );

    this.addSql(
      `create table \`interviewer_days\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`date\` varchar(10) not null, \`version\` int not null default 1) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interviewer_days\` add index \`interviewer_days_user_id_index\` (\`user_id\`);`,
    );
    this.addSql(
      `alter table \`interviewer_days\` add unique \`interviewer_days_user_id_date_unique\` (\`user_id\`, \`date\`);`,
    );

    this.addSql(
      `create table \`interview_accommodations\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`extra_time_percent\` int not null default 0, \`extra_retakes\` int not null default 0, \`audio_only_allowed\` tinyint(1) not null default false, \`note\` varchar(500) not null default '', \`updated_by_id\` int unsigned null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`interview_accommodations\` add unique \`interview_accommodations_application_id_unique\` (\`application_id\`);`,
    );
    this.addSql(
      `alter table \`interview_accommodations\` add index \`interview_accommodations_updated_by_id_index\` (\`updated_by_id\`);`,
    );

    this.addSql(
      `create table \`bookings\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`schedule_id\` int unsigned not null, \`kind\` enum('ai_interview','second_round') not null, \`interviewer_id\` int unsigned null, \`start_at\` datetime(3) not null, \`end_at\` datetime(3) not null, \`buffer_before_minutes\` int not null default 0, \`buffer_after_minutes\` int not null default 0, \`time_zone\` varchar(64) not null, \`status\` enum('booked','cancelled','no_show','completed') not null default 'booked', \`active_key\` varchar(64) null, \`reschedule_count\` int not null default 0, \`cancel_reason\` varchar(500) null, \`cancelled_at\` datetime(3) null, \`no_show_marked_by_id\` int unsigned null, \`no_show_at\` datetime(3) null, \`calendar_event_id\` varchar(128) null, \`calendar_owner\` varchar(64) null, \`version\` int not null default 1, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`bookings\` add index \`bookings_application_id_index\` (\`application_id\`);`);
    this.addSql(`alter table \`bookings\` add index \`bookings_schedule_id_index\` (\`schedule_id\`);`);
    this.addSql(`alter table \`bookings\` add index \`bookings_interviewer_id_index\` (\`interviewer_id\`);`);
    this.addSql(`alter table \`bookings\` add unique \`bookings_active_key_unique\` (\`active_key\`);`);
    this.addSql(
      `alter table \`bookings\` add index \`bookings_no_show_marked_by_id_index\` (\`no_show_marked_by_id\`);`,
    );
    this.addSql(
      `alter table \`bookings\` add index \`bookings_interviewer_id_status_start_at_index\` (\`interviewer_id\`, \`status\`, \`start_at\`);`,
    );
    this.addSql(
      `alter table \`bookings\` add index \`bookings_schedule_id_status_start_at_index\` (\`schedule_id\`, \`status\`, \`start_at\`);`,
    );

    this.addSql(
      `create table \`availability_overrides\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`date\` varchar(10) not null, \`ranges\` json not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`availability_overrides\` add index \`availability_overrides_user_id_index\` (\`user_id\`);`,
    );
    this.addSql(
      `alter table \`availability_overrides\` add unique \`availability_overrides_user_id_date_unique\` (\`user_id\`, \`date\`);`,
    );

    this.addSql(
      `create table \`approvals\` (\`id\` int unsigned not null auto_increment primary key, \`application_id\` int unsigned not null, \`kind\` enum('second_round','offer') not null, \`status\` enum('requested','running','agreed','refused','terminated','failed') not null default 'requested', \`active_key\` varchar(64) null, \`process_code\` varchar(64) null, \`process_instance_id\` varchar(100) null, \`originator_user_id\` varchar(64) not null, \`approver_user_ids\` json not null, \`approval_mode\` varchar(8) not null, \`cc_user_ids\` json not null, \`form\` json not null, \`offer\` json null, \`requested_by_id\` int unsigned null, \`decided_by_user_id\` varchar(64) null, \`remark\` text null, \`last_error\` text null, \`started_at\` datetime(3) not null, \`decided_at\` datetime(3) null, \`checked_at\` datetime(3) null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`approvals\` add index \`approvals_application_id_index\` (\`application_id\`);`,
    );
    this.addSql(`alter table \`approvals\` add unique \`approvals_active_key_unique\` (\`active_key\`);`);
    this.addSql(
      `alter table \`approvals\` add unique \`approvals_process_instance_id_unique\` (\`process_instance_id\`);`,
    );
    this.addSql(
      `alter table \`approvals\` add index \`approvals_requested_by_id_index\` (\`requested_by_id\`);`,
    );
    this.addSql(
      `alter table \`approvals\` add index \`approvals_status_started_at_index\` (\`status\`, \`started_at\`);`,
    );

    this.addSql(
      `alter table \`interview_questions\` add \`answer_type\` enum('video','audio','text') not null default 'video', add \`prompt_media_kind\` enum('image','video') null, add \`prompt_media_url\` varchar(1000) null, add \`indicators\` json null, add \`reference_answers\` json null, add \`weight\` double not null default 1, add \`practice\` tinyint(1) not null default false, add \`max_chars\` int not null default 2000;`,
    );

    this.addSql(
      `alter table \`demographic_self_ids\` add constraint \`demographic_self_ids_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`inbox_messages\` add constraint \`inbox_messages_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`job_rules\` add constraint \`job_rules_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`plan_schedules\` add constraint \`plan_schedules_plan_id_foreign\` foreign key (\`plan_id\`) references \`interview_plans\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`slot_counters\` add constraint \`slot_counters_schedule_id_foreign\` foreign key (\`schedule_id\`) references \`plan_schedules\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`plan_interviewers\` add constraint \`plan_interviewers_schedule_id_foreign\` foreign key (\`schedule_id\`) references \`plan_schedules\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`plan_interviewers\` add constraint \`plan_interviewers_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`review_assignments\` add constraint \`review_assignments_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`review_assignments\` add constraint \`review_assignments_reviewer_id_foreign\` foreign key (\`reviewer_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interview_sessions\` add constraint \`interview_sessions_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`interview_sessions\` add constraint \`interview_sessions_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`interview_sessions\` add constraint \`interview_sessions_job_id_foreign\` foreign key (\`job_id\`) references \`jobs\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`interview_sessions\` add constraint \`interview_sessions_plan_id_foreign\` foreign key (\`plan_id\`) references \`interview_plans\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interview_answers\` add constraint \`interview_answers_session_id_foreign\` foreign key (\`session_id\`) references \`interview_sessions\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`interview_answers\` add constraint \`interview_answers_question_id_foreign\` foreign key (\`question_id\`) references \`interview_questions\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interview_attempts\` add constraint \`interview_attempts_answer_id_foreign\` foreign key (\`answer_id\`) references \`interview_answers\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interview_reports\` add constraint \`interview_reports_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`review_tasks\` add constraint \`review_tasks_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`review_tasks\` add constraint \`review_tasks_report_id_foreign\` foreign key (\`report_id\`) references \`interview_reports\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`report_ratings\` add constraint \`report_ratings_report_id_foreign\` foreign key (\`report_id\`) references \`interview_reports\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`report_ratings\` add constraint \`report_ratings_reviewer_id_foreign\` foreign key (\`reviewer_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interview_consents\` add constraint \`interview_consents_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`interview_consents\` add constraint \`interview_consents_candidate_id_foreign\` foreign key (\`candidate_id\`) references \`candidates\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`application_reviews\` add constraint \`application_reviews_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interviewer_schedules\` add constraint \`interviewer_schedules_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interviewer_days\` add constraint \`interviewer_days_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`interview_accommodations\` add constraint \`interview_accommodations_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`interview_accommodations\` add constraint \`interview_accommodations_updated_by_id_foreign\` foreign key (\`updated_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`bookings\` add constraint \`bookings_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`bookings\` add constraint \`bookings_schedule_id_foreign\` foreign key (\`schedule_id\`) references \`plan_schedules\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`bookings\` add constraint \`bookings_interviewer_id_foreign\` foreign key (\`interviewer_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`bookings\` add constraint \`bookings_no_show_marked_by_id_foreign\` foreign key (\`no_show_marked_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );

    this.addSql(
      `alter table \`availability_overrides\` add constraint \`availability_overrides_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`approvals\` add constraint \`approvals_application_id_foreign\` foreign key (\`application_id\`) references \`applications\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`approvals\` add constraint \`approvals_requested_by_id_foreign\` foreign key (\`requested_by_id\`) references \`users\` (\`id\`) on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`slot_counters\` drop foreign key \`slot_counters_schedule_id_foreign\`;`);
    this.addSql(
      `alter table \`plan_interviewers\` drop foreign key \`plan_interviewers_schedule_id_foreign\`;`,
    );
    this.addSql(`alter table \`bookings\` drop foreign key \`bookings_schedule_id_foreign\`;`);
    this.addSql(
      `alter table \`interview_answers\` drop foreign key \`interview_answers_session_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`interview_attempts\` drop foreign key \`interview_attempts_answer_id_foreign\`;`,
    );
    this.addSql(`alter table \`review_tasks\` drop foreign key \`review_tasks_report_id_foreign\`;`);
    this.addSql(`alter table \`report_ratings\` drop foreign key \`report_ratings_report_id_foreign\`;`);

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

    this.addSql(
      `alter table \`interview_questions\` drop column \`answer_type\`, drop column \`prompt_media_kind\`, drop column \`prompt_media_url\`, drop column \`indicators\`, drop column \`reference_answers\`, drop column \`weight\`, drop column \`practice\`, drop column \`max_chars\`;`,
    );
  }
}
