/**
 * The error catalogue: every error code the API sends or the mini-app makes up itself, with its
 * HTTP status and the sentence a person reads, in Simplified Chinese and English.
 *
 * The server may only throw codes listed here (`AppError` takes {@link ServerErrorCode}, so an
 * uncatalogued code does not compile) and takes the status from here; its `message` stays English
 * for developers and logs. The mini-app never shows that message: it shows {@link errorText}.
 *
 * To add a code: add an entry below (status, zh, en; `withDetails` when the server's `details`
 * carry a value worth showing), then throw it on the server. `shared/errors.test.ts` fails when a
 * code thrown in `server/` is missing here.
 */

import { CLIENT_ERRORS } from './clientErrors';

/** Languages the error texts are written in (the mini-app's UI languages). */
export type ErrorLocale = 'zh-CN' | 'en';

/** One catalogue entry. */
export interface ErrorEntry {
  /**
   * The HTTP status the server answers with. 0 marks a code only the mini-app produces (no
   * answer, a sign-in flow step, an upload to storage); the server cannot throw those.
   */
  readonly status: number;
  /** Complete sentence in Simplified Chinese, needing no details. */
  readonly zh: string;
  /** Complete sentence in English, needing no details. */
  readonly en: string;
  /**
   * Preferred texts when the error's `details` hold every `{placeholder}` they name (a number
   * or a string at the top level of `details`).
   */
  readonly withDetails?: { readonly zh: string; readonly en: string };
}

/** The catalogue. Grouped by where the errors come from; codes are stable (clients branch on them). */
export const ERRORS = {
  // ---- Request handling (kernel/http) ----
  validation_failed: {
    status: 400,
    zh: '填写的内容有误，请检查后重试。',
    en: 'Some of the information is not valid. Please check it and try again.',
    // `{field}` is filled by errorText from the first field problem (see fieldLabel).
    withDetails: { zh: '请检查：{field}', en: 'Please check: {field}' },
  },
  malformed_body: {
    status: 400,
    zh: '请求内容无法识别，请刷新页面后重试。',
    en: 'The request could not be read. Please reload the page and try again.',
  },
  unsupported_media_type: {
    status: 415,
    zh: '请求格式不受支持，请刷新页面后重试。',
    en: 'The request format is not supported. Please reload the page and try again.',
  },
  payload_too_large: {
    status: 413,
    zh: '提交的内容过大，请删减后重试。',
    en: 'What you sent is too large. Please shorten it and try again.',
  },
  method_not_allowed: {
    status: 405,
    zh: '暂不支持此操作，请刷新页面后重试。',
    en: 'This action is not supported. Please reload the page and try again.',
  },
  route_not_found: {
    status: 404,
    zh: '找不到该功能，请更新或刷新应用后重试。',
    en: 'This feature could not be found. Please reload or update the app.',
  },
  not_found: {
    status: 404,
    zh: '找不到相关内容，可能已被删除，或你没有查看权限。',
    en: 'This could not be found. It may have been removed, or you may not have access to it.',
  },
  rate_limited: {
    status: 429,
    zh: '操作过于频繁，请稍后再试。',
    en: 'Too many attempts. Please wait a moment and try again.',
    withDetails: {
      zh: '操作过于频繁，请 {retryAfterSeconds} 秒后再试。',
      en: 'Too many attempts. Please try again in {retryAfterSeconds} seconds.',
    },
  },
  duplicate: {
    status: 409,
    zh: '相同的记录已经存在，请刷新后查看。',
    en: 'The same record already exists. Please reload to see it.',
  },
  reference_conflict: {
    status: 409,
    zh: '相关的记录不存在或仍在使用中，请刷新后重试。',
    en: 'A related record is missing or still in use. Please reload and try again.',
  },
  concurrent_update: {
    status: 409,
    zh: '有人同时修改了相同的内容，请刷新后重试。',
    en: 'Someone changed the same data at the same moment. Please reload and try again.',
  },
  internal_error: {
    status: 500,
    zh: '服务器出了点问题，请稍后重试。',
    en: 'Something went wrong on our side. Please try again later.',
  },

  // ---- Sign-in and access ----
  unauthenticated: {
    status: 401,
    zh: '请先登录。',
    en: 'Please sign in first.',
  },
  session_invalid: {
    status: 401,
    zh: '登录状态无效，请重新登录。',
    en: 'Your sign-in is no longer valid. Please sign in again.',
  },
  session_revoked: {
    status: 401,
    zh: '此登录已结束，请重新登录。',
    en: 'This session has ended. Please sign in again.',
  },
  session_expired: {
    status: 401,
    zh: '登录已过期，请重新登录。',
    en: 'Your session has expired. Please sign in again.',
  },
  auth_code_invalid: {
    status: 401,
    zh: '登录码已过期或已被使用，请重新登录。',
    en: 'The sign-in code has expired or was already used. Please sign in again.',
  },
  oauth_state_invalid: {
    status: 401,
    zh: '登录请求已过期或无效，请重新登录。',
    en: 'The sign-in request has expired or is invalid. Please sign in again.',
  },
  invitation_expired: {
    status: 401,
    zh: '邀请链接已过期，请联系招聘负责人获取新的链接。',
    en: 'This invitation link has expired. Please ask your recruiter for a new one.',
  },
  invitation_invalid: {
    status: 401,
    zh: '邀请链接无效，请检查链接是否完整，或联系招聘负责人。',
    en: 'This invitation link is not valid. Check that it is complete, or contact your recruiter.',
  },
  invitation_revoked: {
    status: 401,
    zh: '该邀请已被撤回，如有疑问请联系招聘负责人。',
    en: 'This invitation was withdrawn. Please contact your recruiter if in doubt.',
  },
  job_closed: {
    status: 409,
    zh: '该职位已停止招聘，相关邀请不再可用。',
    en: 'This job is no longer open, so its invitations can no longer be used or sent.',
  },
  job_paused: {
    status: 409,
    zh: '该职位已暂停招聘，暂不接受新的邀请或预约。',
    en: 'Hiring for this job is paused, so it takes no new invitations or bookings for now.',
  },
  job_not_open: {
    status: 409,
    zh: '该职位目前不接受申请（已暂停或停止招聘），请稍后再看或关注其他职位。',
    en: 'This job is not taking applications right now (paused or closed). Please check back later or look at other jobs.',
  },
  job_version_conflict: {
    status: 409,
    zh: '该职位刚被其他人修改过，请刷新后在最新内容上重新编辑。',
    en: 'Someone else has just changed this job. Reload it and make your edit on the latest version.',
  },
  job_status_unchanged: {
    status: 409,
    zh: '职位已处于该状态。',
    en: 'The job is already in this state.',
  },
  bank_question_stale: {
    status: 409,
    zh: '该题目已有更新的版本，请刷新后在最新版本上修改。',
    en: 'This question has a newer version. Reload and edit the latest one.',
  },
  competency_stale: {
    status: 409,
    zh: '该能力已有更新的版本，请刷新后在最新版本上修改。',
    en: 'This competency has a newer version. Reload and edit the latest one.',
  },
  question_draft_decided: {
    status: 409,
    zh: '这道草稿题已被批准或舍弃，不能再修改，请刷新查看。',
    en: 'This draft question has already been approved or discarded. Reload to see it.',
  },
  reviewer_pool_empty: {
    status: 409,
    zh: '该职位还没有面试官池，请先添加面试官或直接指定面试官。',
    en: 'This job has no interviewer pool yet. Add interviewers to it, or assign one by name.',
  },
  not_an_interviewer: {
    status: 400,
    zh: '所选人员不是在职的面试官，请重新选择。',
    en: 'The person you chose is not an active interviewer. Please choose again.',
  },
  unknown_employee: {
    status: 400,
    zh: '所选人员不在通讯录中或已离职，请重新选择。',
    en: 'The person you chose is not in the directory or has left. Please choose again.',
  },
  no_access: {
    status: 403,
    zh: '你的钉钉账号尚未开通面试应用权限，请联系管理员在「组织与权限」中为你开通。',
    en: 'Your DingTalk account has no access to the interview app yet. Ask an admin to grant you a role under "Organisation & roles".',
    withDetails: {
      zh: '你的钉钉账号尚未开通面试应用权限，请联系管理员（{admins}）在「组织与权限」中为你开通。',
      en: 'Your DingTalk account has no access to the interview app yet. Ask an admin ({admins}) to grant you a role under "Organisation & roles".',
    },
  },
  forbidden: {
    status: 403,
    zh: '你没有权限进行此操作。',
    en: 'You are not allowed to do this.',
  },
  candidate_profile_forbidden: {
    status: 403,
    zh: '只有该候选人的指定面试官、职位的用人经理和 HR 可以查看其档案。',
    en: 'Only the candidate’s assigned reviewers, the job’s hiring manager and HR can open this profile.',
  },
  candidates_only: {
    status: 403,
    zh: '此功能仅面向候选人。',
    en: 'This is only available to candidates.',
  },
  dingtalk_unavailable: {
    status: 502,
    zh: '暂时无法连接钉钉，请稍后重试。',
    en: 'DingTalk cannot be reached right now. Please try again later.',
  },

  // ---- Candidates: import, invitations, accommodations, work queue ----
  import_file_too_large: {
    status: 413,
    zh: '文件过大，请拆分后分批导入。',
    en: 'The file is too large. Please split it and import it in parts.',
    withDetails: {
      zh: '文件过大（上限 {maxKb} KB），请拆分后分批导入。',
      en: 'The file is too large (limit {maxKb} KB). Please split it and import it in parts.',
    },
  },
  import_too_many_rows: {
    status: 400,
    zh: '文件行数过多，请拆分后分批导入。',
    en: 'The file has too many rows. Please split it and import it in parts.',
    withDetails: {
      zh: '文件行数过多（上限 {maxRows} 行），请拆分后分批导入。',
      en: 'The file has too many rows (limit {maxRows}). Please split it and import it in parts.',
    },
  },
  import_unreadable: {
    status: 400,
    zh: '无法读取该文件，请上传 .xlsx 或 .csv 格式的表格。',
    en: 'The file could not be read. Please upload an .xlsx or .csv spreadsheet.',
  },
  import_missing_columns: {
    status: 400,
    zh: '表格缺少必需的列（姓名，以及手机号或邮箱）。',
    en: 'The spreadsheet lacks required columns (name, and mobile or email).',
    withDetails: {
      zh: '表格缺少必需的列：{columns}',
      en: 'The spreadsheet lacks required columns: {columns}',
    },
  },
  import_empty: {
    status: 400,
    zh: '没有可以导入的有效行，请修正表格后重新上传。',
    en: 'There are no valid rows to import. Please fix the spreadsheet and upload it again.',
  },
  import_already_confirmed: {
    status: 409,
    zh: '这批候选人已经导入过了。',
    en: 'This batch of candidates has already been imported.',
  },
  candidate_contact_conflict: {
    status: 409,
    zh: '手机号和邮箱分别属于两位不同的候选人，请核对后再试。',
    en: 'The mobile number and the email belong to two different candidates. Please check them.',
  },
  invitation_not_active: {
    status: 409,
    zh: '该邀请已撤回或已过期，请重新邀请。',
    en: 'This invitation was withdrawn or has expired. Please send a new one.',
  },
  queue_item_closed: {
    status: 409,
    zh: '该待办已处理。',
    en: 'This to-do item has already been closed.',
  },

  // ---- Booking ----
  not_bookable: {
    status: 409,
    zh: '该职位尚未开放预约时间，请联系招聘负责人。',
    en: 'This job has no interview times to book yet. Please contact your recruiter.',
  },
  wrong_stage: {
    status: 409,
    zh: '当前进度下不能预约这一轮面试。',
    en: 'This interview round cannot be booked at your current stage.',
  },
  deadline_passed: {
    status: 409,
    zh: '面试截止时间已过，请联系招聘负责人获取新的邀请。',
    en: 'The deadline for this interview has passed. Please contact your recruiter for a new invitation.',
  },
  after_deadline: {
    status: 400,
    zh: '该时间段在截止时间之后结束，请选择更早的时间。',
    en: 'This time ends after the deadline. Please pick an earlier time.',
  },
  unknown_slot: {
    status: 400,
    zh: '该时间不可预约，请从列表中选择时间。',
    en: 'This time cannot be booked. Please pick a time from the list.',
  },
  too_soon: {
    status: 400,
    zh: '该时间距现在太近，请选择更晚的时间。',
    en: 'This time is too soon. Please pick a later time.',
    withDetails: {
      zh: '请至少提前 {minNoticeMinutes} 分钟预约，请选择更晚的时间。',
      en: 'Times must be booked at least {minNoticeMinutes} minutes ahead. Please pick a later time.',
    },
  },
  beyond_horizon: {
    status: 400,
    zh: '该时间太远，暂不可预约，请选择更近的时间。',
    en: 'This time is too far ahead to book. Please pick an earlier time.',
    withDetails: {
      zh: '最多只能预约 {horizonDays} 天内的时间，请选择更近的时间。',
      en: 'You can book at most {horizonDays} days ahead. Please pick an earlier time.',
    },
  },
  slot_in_past: {
    status: 400,
    zh: '该时间已经开始，请选择其他时间。',
    en: 'This time has already started. Please pick another.',
  },
  slot_full: {
    status: 409,
    zh: '该时间刚刚被约满，请选择其他时间。',
    en: 'That time was just taken. Please pick another.',
  },
  schedule_changed: {
    status: 409,
    zh: '面试时间安排刚刚有变动，请重新选择时间。',
    en: 'The interview times just changed. Please pick a time again.',
  },
  already_booked: {
    status: 409,
    zh: '你已经预约了这一轮面试，如需更改请改约。',
    en: 'You already have a booking for this round. Reschedule it instead.',
  },
  booking_not_active: {
    status: 409,
    zh: '该预约已取消或已结束。',
    en: 'This booking has been cancelled or has ended.',
  },
  booking_changed: {
    status: 409,
    zh: '该预约刚刚有变动，请刷新后查看。',
    en: 'This booking just changed. Please reload it.',
  },
  same_slot: {
    status: 400,
    zh: '已经预约在这个时间了。',
    en: 'The booking is already at this time.',
  },
  reschedule_cutoff_passed: {
    status: 409,
    zh: '已过可改约的时间，如需调整请联系招聘负责人。',
    en: 'It is too late to reschedule. Please contact your recruiter.',
    withDetails: {
      zh: '开始前 {rescheduleCutoffHours} 小时内不能改约，如需调整请联系招聘负责人。',
      en: 'Bookings cannot be rescheduled within {rescheduleCutoffHours} hours of the start. Please contact your recruiter.',
    },
  },
  reschedule_limit: {
    status: 409,
    zh: '改约次数已用完，如需调整请联系招聘负责人。',
    en: 'You have used all your reschedules. Please contact your recruiter.',
    withDetails: {
      zh: '每个预约最多改约 {maxReschedules} 次，如需调整请联系招聘负责人。',
      en: 'A booking can be rescheduled at most {maxReschedules} times. Please contact your recruiter.',
    },
  },
  cancel_cutoff_passed: {
    status: 409,
    zh: '已过可取消的时间，如需调整请联系招聘负责人。',
    en: 'It is too late to cancel. Please contact your recruiter.',
    withDetails: {
      zh: '开始前 {cancelCutoffHours} 小时内不能取消，如需调整请联系招聘负责人。',
      en: 'Bookings cannot be cancelled within {cancelCutoffHours} hours of the start. Please contact your recruiter.',
    },
  },
  already_started: {
    status: 409,
    zh: '面试已经开始。',
    en: 'The session has already started.',
  },
  not_started: {
    status: 409,
    zh: '面试还没有开始。',
    en: 'The session has not started yet.',
  },
  rebook_link_required: {
    status: 409,
    zh: '错过面试后，请使用我们发送给你的改约链接重新预约，或联系招聘负责人。',
    en: 'After a missed interview, please use the reschedule link we sent you, or contact your recruiter.',
  },
  invalid_rebook_link: {
    status: 400,
    zh: '改约链接无效。',
    en: 'This reschedule link is not valid.',
  },
  rebook_link_expired: {
    status: 410,
    zh: '改约链接已过期，请联系招聘负责人。',
    en: 'This reschedule link has expired. Please contact your recruiter.',
  },
  rebook_link_used: {
    status: 409,
    zh: '改约链接已经使用过了。',
    en: 'This reschedule link has already been used.',
  },
  invalid_hours: {
    status: 400,
    zh: '可面试时间设置有误：请检查每段时间的开始与结束，且时间段不能重叠。',
    en: 'The available hours are not valid: check each start and end time, and that ranges do not overlap.',
  },
  invalid_take_mode: {
    status: 400,
    zh: '现场面试只能预约时间进行，不能设为“随时作答”。',
    en: 'Live sessions are always booked; they cannot be taken any time.',
  },
  invalid_capacity: {
    status: 400,
    zh: '现场面试每个时段每位面试官只能安排一位候选人。',
    en: 'Live sessions seat exactly one candidate per interviewer.',
  },
  empty_pool: {
    status: 400,
    zh: '现场面试至少需要一位面试官。',
    en: 'A live session needs at least one interviewer.',
  },
  unknown_interviewer: {
    status: 400,
    zh: '所选面试官不存在或已停用，请重新选择。',
    en: 'A chosen interviewer does not exist or is no longer active. Please choose again.',
  },

  // ---- Interview (notice, consent, answers, uploads) ----
  booking_required: {
    status: 409,
    zh: '请先预约面试时间。',
    en: 'Please book a time for your interview first.',
  },
  reminder_only_booking: {
    status: 409,
    zh: '这是候选人自己设定的提醒时间，不是面试预约，不能标记为未出席。',
    en: 'This booking only sets a reminder the candidate chose; it cannot be marked as a no-show.',
  },
  outside_booking_window: {
    status: 409,
    zh: '现在不在你预约的面试时间内。',
    en: 'Your interview window is not open now.',
  },
  notice_changed: {
    status: 409,
    zh: '面试须知已更新，请阅读最新版本后再确认。',
    en: 'The notice has changed. Please read the current version and confirm again.',
  },
  consent_video_required: {
    status: 400,
    zh: '录制需要你同意处理视频；不同意则无法进行视频面试。',
    en: 'Recording needs your consent to process the video; without it no interview is recorded.',
  },
  consent_required: {
    status: 403,
    zh: '录制前需要你同意处理录制内容。',
    en: 'Please consent to the processing of your recordings before recording.',
  },
  consent_withdrawn: {
    status: 409,
    zh: '你已撤回同意，本次面试已关闭。',
    en: 'You withdrew your consent, so this interview is closed.',
  },
  no_consent: {
    status: 409,
    zh: '没有可撤回的同意。',
    en: 'There is no consent to withdraw.',
  },
  session_not_started: {
    status: 409,
    zh: '请先开始面试。',
    en: 'Please start the interview first.',
  },
  session_submitted: {
    status: 409,
    zh: '本次面试已经提交。',
    en: 'This interview has already been submitted.',
  },
  session_changed: {
    status: 409,
    zh: '面试在另一个窗口中有变动，请刷新后继续。',
    en: 'This interview changed in another window. Please reload to continue.',
  },
  session_closed: {
    status: 403,
    zh: '本次面试已不再接受上传。',
    en: 'This interview accepts no more uploads.',
  },
  answers_missing: {
    status: 409,
    zh: '还有题目没有作答，请完成后再提交。',
    en: 'Some questions are not answered yet. Please finish them before submitting.',
  },
  answer_changed: {
    status: 409,
    zh: '这道题在另一个窗口中有变动，请刷新后继续。',
    en: 'This answer changed in another window. Please reload to continue.',
  },
  answer_locked: {
    status: 409,
    zh: '这道题已经作答并锁定。',
    en: 'This question is already answered and locked.',
  },
  invalid_transition: {
    status: 409,
    zh: '这道题当前不能进行此操作，请刷新后继续。',
    en: 'This cannot be done to the answer right now. Please reload to continue.',
  },
  no_retakes_left: {
    status: 409,
    zh: '这道题没有重录机会了，请保留当前回答。',
    en: 'No retakes are left for this question; please keep this answer.',
  },
  text_answer: {
    status: 400,
    zh: '这道题需要文字作答。',
    en: 'This question takes a typed answer.',
  },
  recorded_answer: {
    status: 400,
    zh: '这道题需要录制作答。',
    en: 'This question takes a recording.',
  },
  audio_only: {
    status: 400,
    zh: '这道题需要录音作答。',
    en: 'This question takes an audio recording.',
  },
  answer_empty: {
    status: 400,
    zh: '请先填写回答。',
    en: 'Please write an answer first.',
  },
  answer_too_long: {
    status: 400,
    zh: '回答太长了，请精简后再提交。',
    en: 'The answer is too long. Please shorten it.',
    withDetails: {
      zh: '回答最多 {maxChars} 个字，请精简后再提交。',
      en: 'Answers may be at most {maxChars} characters. Please shorten it.',
    },
  },
  unsupported_type: {
    status: 400,
    zh: '当前设备的录制格式不受支持，请换用其他浏览器或设备。',
    en: 'This recording format is not supported. Please try another browser or device.',
  },
  wrong_type: {
    status: 415,
    zh: '上传的文件格式不对，请重新录制。',
    en: 'The uploaded file has the wrong format. Please record again.',
  },
  upload_empty: {
    status: 400,
    zh: '录制内容为空，请重新录制。',
    en: 'The recording is empty. Please record again.',
  },
  upload_too_large: {
    status: 413,
    zh: '录制文件过大，请缩短回答后重新录制。',
    en: 'The recording is too large. Please record a shorter answer.',
    withDetails: {
      zh: '录制文件不能超过 {maxMegabytes} MB，请缩短回答后重新录制。',
      en: 'Recordings may be at most {maxMegabytes} MB. Please record a shorter answer.',
    },
  },
  recording_broken: {
    status: 422,
    zh: '录制无法播放，请重新录制。',
    en: 'The recording cannot be played. Please record again.',
  },
  upload_missing: {
    status: 409,
    zh: '录制文件还没有上传完成，请继续上传。',
    en: 'The recording has not arrived yet. Please finish or resume the upload.',
  },
  upload_not_found: {
    status: 409,
    zh: '上传已失效，请重新上传。',
    en: 'This upload is gone. Please start the upload again.',
  },
  upload_complete: {
    status: 409,
    zh: '这段录制已经上传过了。',
    en: 'This recording was already uploaded.',
  },
  parts_missing: {
    status: 409,
    zh: '部分内容还没有上传完整，请继续上传。',
    en: 'Some parts have not arrived whole yet. Please resume the upload.',
  },
  nothing_to_resume: {
    status: 409,
    zh: '没有可以继续的上传。',
    en: 'There is no upload in progress for this answer.',
  },
  attempt_closed: {
    status: 409,
    zh: '这段录制已经检查过了。',
    en: 'This recording was already checked.',
  },
  offset_mismatch: {
    status: 409,
    zh: '上传进度不一致，正在从断点继续。',
    en: 'The upload got out of step; resuming from where the server is.',
  },
  upload_id_required: {
    status: 400,
    zh: '上传信息不完整，请重新上传。',
    en: 'The upload is missing its id. Please start the upload again.',
  },
  bytes_required: {
    status: 400,
    zh: '上传信息不完整，请重新上传。',
    en: 'The upload is missing its size. Please start the upload again.',
  },
  invalid_header: {
    status: 400,
    zh: '上传信息有误，请重新上传。',
    en: 'The upload request is not valid. Please start the upload again.',
  },
  invalid_form: {
    status: 400,
    zh: '上传的表单有误，请重新上传。',
    en: 'The upload form is not valid. Please upload again.',
  },
  grant_expired: {
    status: 403,
    zh: '上传链接已过期，请重新上传。',
    en: 'This upload link expired. Please upload again.',
  },
  grant_invalid: {
    status: 403,
    zh: '上传链接无效，请重新上传。',
    en: 'This upload link is not valid. Please upload again.',
  },
  url_invalid: {
    status: 403,
    zh: '链接无效或已过期，请刷新页面。',
    en: 'This link is not valid or has expired. Please reload the page.',
  },
  probe_too_large: {
    status: 413,
    zh: '网络测速数据过大。',
    en: 'The network speed probe is too large.',
  },

  // ---- Interview plans, reports, decisions ----
  question_unknown: {
    status: 400,
    zh: '该题目不属于这个面试计划，请刷新后重试。',
    en: 'This question is not part of the plan. Please reload and try again.',
  },
  question_in_use: {
    status: 409,
    zh: '已有候选人回答过这道题，不能删除。',
    en: 'Candidates have already answered this question, so it cannot be removed.',
  },
  unknown_competency: {
    status: 400,
    zh: '评分中包含本报告没有的能力项，请刷新后重试。',
    en: 'A rating names a competency this report does not have. Please reload and try again.',
  },
  unknown_user: {
    status: 400,
    zh: '所选员工不存在。',
    en: 'That employee does not exist.',
  },
  request_open: {
    status: 409,
    zh: '你已有一个同类请求正在处理中，HR 会在截止日期前答复。',
    en: 'You already have an open request of this kind; HR will answer by its due date.',
  },
  already_decided: {
    status: 409,
    zh: '已有其他人先处理了这位候选人，请刷新后查看。',
    en: 'Someone else decided on this application first. Please reload.',
  },
  stage_changed: {
    status: 409,
    zh: '候选人的进度已发生变化，请刷新后查看。',
    en: 'The application has moved to another stage. Please reload.',
  },
  transition_not_permitted: {
    status: 403,
    zh: '你不能对这位候选人进行此操作。',
    en: 'You may not take this step for this application.',
  },
  person_required: {
    status: 403,
    zh: '这一步必须由具体的负责人确认。',
    en: 'This step needs the person who made the decision.',
  },
  approval_already_open: {
    status: 409,
    zh: '这位候选人已有一个进行中的同类审批。',
    en: 'An approval of this kind is already open for this application.',
  },
  no_approvers: {
    status: 409,
    zh: '该职位还没有设置审批人，请先在职位规则中配置。',
    en: 'This job has no approvers yet. Set them in the job rules first.',
  },

  // ---- Messaging, privacy ----
  delivery_not_found: {
    status: 404,
    zh: '找不到这条消息。',
    en: 'This message could not be found.',
  },
  inbox_message_not_found: {
    status: 404,
    zh: '找不到这条消息。',
    en: 'This message could not be found.',
  },
  not_failed: {
    status: 400,
    zh: '这条消息没有发送失败，无需重新发送。',
    en: 'This message has not failed, so it need not be resent.',
  },
  candidate_gone: {
    status: 409,
    zh: '该候选人已不存在。',
    en: 'This candidate no longer exists.',
  },

  // ---- DingTalk callbacks (read by DingTalk and operators, not by people in the app) ----
  bad_robot_sign: {
    status: 401,
    zh: '机器人消息签名校验失败。',
    en: 'The robot message signature does not verify.',
  },
  invalid_robot_message: {
    status: 400,
    zh: '机器人消息格式有误。',
    en: 'The robot message is not valid.',
  },
  callback_bad_payload: {
    status: 400,
    zh: '钉钉回调内容无法解密。',
    en: 'The DingTalk callback payload cannot be decrypted.',
  },
  callback_bad_signature: {
    status: 403,
    zh: '钉钉回调签名校验失败。',
    en: 'The DingTalk callback signature does not verify.',
  },
  callback_bad_aes_key: {
    status: 403,
    zh: '钉钉回调的加密密钥配置有误。',
    en: 'The DingTalk callback encryption key is misconfigured.',
  },
  callback_owner_mismatch: {
    status: 403,
    zh: '钉钉回调不属于本应用。',
    en: 'The DingTalk callback belongs to another app.',
  },
  callback_stale_timestamp: {
    status: 403,
    zh: '钉钉回调的时间戳已过期。',
    en: 'The DingTalk callback timestamp is outside the accepted window.',
  },
  event_failed: {
    status: 500,
    zh: '事件处理失败，将重新投递。',
    en: 'The event was not processed; it will be redelivered.',
  },
  event_busy: {
    status: 503,
    zh: '事件仍在处理中，将重新投递。',
    en: 'The event is still being processed; it will be redelivered.',
  },

  // ---- Résumés (features/resumes) ----
  resume_ats_refused: {
    status: 502,
    zh: '钉钉招聘拒绝了请求（本应用可能未开通钉钉招聘接口权限），未导入任何候选人。',
    en: 'DingTalk recruitment refused the request (this app may lack the recruitment API permission); nobody was imported.',
  },
  resume_wrong_type: {
    status: 415,
    zh: '简历文件格式不支持，请上传 PDF、Word（.docx）或 JPG/PNG 照片。',
    en: 'This résumé file type is not supported. Please upload a PDF, a Word (.docx) file or a JPG/PNG photo.',
  },
  resume_too_large: {
    status: 413,
    zh: '简历文件过大，请上传不超过 10 MB 的文件。',
    en: 'The résumé file is too large. Please upload a file of at most 10 MB.',
    withDetails: {
      zh: '简历文件不能超过 {maxMegabytes} MB。',
      en: 'Résumé files may be at most {maxMegabytes} MB.',
    },
  },
  resume_empty: {
    status: 400,
    zh: '简历文件是空的，请重新选择文件。',
    en: 'The résumé file is empty. Please choose the file again.',
  },
  resume_too_many_pages: {
    status: 422,
    zh: '简历页数过多，请上传不超过 10 页的文件。',
    en: 'The résumé has too many pages. Please upload at most 10 pages.',
    withDetails: {
      zh: '简历共 {pages} 页，最多 {maxPages} 页。',
      en: 'The résumé has {pages} pages; at most {maxPages} are accepted.',
    },
  },
  resume_unreadable: {
    status: 422,
    zh: '简历文件已损坏或无法读取，请重新导出后上传。',
    en: 'The résumé file is damaged or cannot be read. Please export it again and upload.',
  },
  resume_docx_bomb: {
    status: 422,
    zh: 'Word 文件解压后过大，无法处理，请另存为 PDF 后上传。',
    en: 'This Word file expands to too much data to process. Please save it as PDF and upload that.',
  },
  resume_image_too_large: {
    status: 422,
    zh: '照片分辨率过高，请缩小后上传。',
    en: 'The photo has too many pixels. Please resize it and upload again.',
  },
  resume_consent_required: {
    status: 403,
    zh: '请先同意简历信息的处理说明。',
    en: 'Please agree to how your résumé is processed first.',
  },
  resume_not_parsed: {
    status: 409,
    zh: '简历还在解析中，请稍后再试。',
    en: 'The résumé is still being read. Please try again shortly.',
  },
  resume_tags_too_many: {
    status: 400,
    zh: '标签太多了，请先删除一些。',
    en: 'Too many tags. Please remove some first.',
    withDetails: {
      zh: '每位候选人最多 {max} 个标签，请先删除一些。',
      en: 'A candidate has at most {max} tags. Please remove some first.',
    },
  },
  resume_field_missing: {
    status: 400,
    zh: '要修改的字段不存在。',
    en: 'The field to correct does not exist in this profile.',
  },
  resume_extract_failed: {
    status: 422,
    zh: '没能从简历中读出文字，请上传更清晰的文件。',
    en: 'No text could be read from the résumé. Please upload a clearer file.',
  },
  resume_extract_timeout: {
    status: 422,
    zh: '简历解析超时，请上传更小或更清晰的文件。',
    en: 'Reading the résumé took too long. Please upload a smaller or clearer file.',
  },
  screening_decided: {
    status: 409,
    zh: '这份简历已经处理过了。',
    en: 'A decision was already made on this résumé for this job.',
  },
  // ---- Made by the mini-app itself (status 0): in clientErrors.ts, in the first load ----
  ...CLIENT_ERRORS,

  // ---- Organisation and roles (features/directory) ----
  last_admin: {
    status: 409,
    zh: '这是最后一位管理员，不能移除其管理员角色。请先为其他人开通管理员。',
    en: 'This is the last admin; grant admin to someone else before removing it.',
  },
  member_inactive: {
    status: 409,
    zh: '此人已不在组织中或已停用，不能开通角色。',
    en: 'This person has left the organisation or is deactivated; roles cannot be granted.',
  },
  org_sync_failed: {
    status: 502,
    zh: '暂时无法从钉钉读取通讯录，请稍后重试。',
    en: 'Could not read the organisation from DingTalk; please try again shortly.',
  },

  // ---- Follow-up questions (features/followups) ----
  follow_up_answered: {
    status: 409,
    zh: '这个追问已经回答过了。',
    en: 'This follow-up question has already been answered.',
  },
  follow_up_withdrawn: {
    status: 409,
    zh: '这个追问已取消，无需回答。',
    en: 'This follow-up question was withdrawn; no answer is needed.',
  },

  // ---- Live-round outlines and scorecards (features/liveround) ----
  live_round_forbidden: {
    status: 403,
    zh: '只有这场复试的面试官、职位的用人经理和 HR 可以查看。',
    en: 'Only the interviewer of this live round, the job’s hiring manager and HR can open it.',
  },
  scorecard_forbidden: {
    status: 403,
    zh: '只有这场复试的面试官和职位的用人经理可以填写评分卡；HR 可查看全部评分卡。',
    en: 'Only the interviewer of this live round and the job’s hiring manager fill in scorecards; HR sees them all.',
  },
  scorecard_submitted: {
    status: 409,
    zh: '评分卡已经提交过了，之后的修改会记入审计日志。',
    en: 'This scorecard was already submitted; later edits are recorded in the audit log.',
  },
  scorecard_incomplete: {
    status: 400,
    zh: '提交前请为每项能力打分（1-5 分）。',
    en: 'Rate every competency (1-5) before submitting.',
  },
  follow_up_transcribing: {
    status: 409,
    zh: '这个追问的录制已提交，正在转写，请稍候。',
    en: 'The recording of this follow-up was submitted and is being transcribed; please wait.',
  },
} as const satisfies Record<string, ErrorEntry>;

/** Every catalogued error code. */
export type ErrorCode = keyof typeof ERRORS;

/** Codes the server may send (status other than 0). */
export type ServerErrorCode = {
  [K in ErrorCode]: (typeof ERRORS)[K]['status'] extends 0 ? never : K;
}[ErrorCode];

/** Server codes answered with HTTP status `S`, for the status-named helpers (`conflict(...)` takes only 409s). */
export type ErrorCodeWithStatus<S extends number> = {
  [K in ServerErrorCode]: (typeof ERRORS)[K]['status'] extends S ? K : never;
}[ServerErrorCode];

/** Whether `code` is catalogued (codes from the network are plain strings). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** One invalid field, as listed in `details` of a 400 `validation_failed`. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `body.reason` or `query.limit`. */
  field: string;
  /** English, for developers. */
  message: string;
  /** `required`: missing or empty; `invalid`: present but wrong; `unknown`: not a field of the request. */
  kind: 'required' | 'invalid' | 'unknown';
}

/** Text for a missing or empty field (the `required` kind), e.g. "请填写：原因". */
const REQUIRED_FIELD_TEXT = { zh: '请填写：{field}', en: 'Please fill in: {field}' } as const;

/** Names of common request fields as people call them. Other fields show their path. */
const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  reason: { zh: '原因', en: 'reason' },
  name: { zh: '姓名', en: 'name' },
  mobile: { zh: '手机号', en: 'mobile number' },
  email: { zh: '邮箱', en: 'email' },
  title: { zh: '标题', en: 'title' },
  text: { zh: '回答', en: 'answer' },
  comment: { zh: '评语', en: 'comment' },
  note: { zh: '备注', en: 'note' },
  remark: { zh: '备注', en: 'remark' },
  message: { zh: '留言', en: 'message' },
  startAt: { zh: '开始时间', en: 'start time' },
  startsAt: { zh: '开始时间', en: 'start time' },
  endAt: { zh: '结束时间', en: 'end time' },
  date: { zh: '日期', en: 'date' },
  startDate: { zh: '入职日期', en: 'start date' },
  deadlineAt: { zh: '截止时间', en: 'deadline' },
  timeZone: { zh: '时区', en: 'time zone' },
  weekly: { zh: '每周可面试时间', en: 'weekly hours' },
  overrides: { zh: '特殊日期', en: 'date overrides' },
  salary: { zh: '薪资', en: 'salary' },
  ratings: { zh: '评分', en: 'ratings' },
  score: { zh: '分数', en: 'score' },
  competency: { zh: '能力项', en: 'competency' },
  recommendation: { zh: '推荐意见', en: 'recommendation' },
  questions: { zh: '题目', en: 'questions' },
  prompt: { zh: '题目内容', en: 'question text' },
  jobId: { zh: '职位', en: 'job' },
  candidateId: { zh: '候选人', en: 'candidate' },
  interviewerIds: { zh: '面试官', en: 'interviewers' },
  approverUserIds: { zh: '审批人', en: 'approvers' },
  confirm: { zh: '确认', en: 'confirmation' },
  locale: { zh: '语言', en: 'language' },
  sex: { zh: '性别', en: 'sex' },
  ageBand: { zh: '年龄段', en: 'age band' },
  rejectThreshold: { zh: '淘汰线', en: 'reject threshold' },
  role: { zh: '角色', en: 'role' },
  departmentId: { zh: '部门', en: 'department' },
  actorId: { zh: '操作人', en: 'person' },
  objectType: { zh: '对象类型', en: 'object type' },
  action: { zh: '操作', en: 'action' },
  from: { zh: '开始日期', en: 'from date' },
  to: { zh: '结束日期', en: 'to date' },
  passThreshold: { zh: '通过线', en: 'pass threshold' },
  ccUserIds: { zh: '抄送人', en: 'cc' },
  location: { zh: '工作地点', en: 'location' },
  headcount: { zh: '招聘人数', en: 'headcount' },
  description: { zh: '职位描述', en: 'job description' },
  requirements: { zh: '任职要求', en: 'requirements' },
  hiringManagerId: { zh: '用人经理', en: 'hiring manager' },
  hiringGroupConversationId: { zh: '招聘群', en: 'hiring group chat' },
  userIds: { zh: '面试官', en: 'interviewers' },
  competencies: { zh: '能力项', en: 'competencies' },
  indicatorsZh: { zh: '行为指标（中文）', en: 'indicators (Chinese)' },
  indicatorsEn: { zh: '行为指标（英文）', en: 'indicators (English)' },
  items: { zh: '题目', en: 'questions' },
  referenceAnswers: { zh: '参考要点', en: 'reference points' },
  perKind: { zh: '每类题目数量', en: 'questions per kind' },
  kind: { zh: '题型', en: 'question type' },
  extraTimePercent: { zh: '额外时间', en: 'extra time' },
  videoProcessing: { zh: '视频处理同意', en: 'video processing consent' },
  source: { zh: '来源', en: 'source' },
  referrer: { zh: '推荐人', en: 'referrer' },
  fileName: { zh: '文件名', en: 'file name' },
  contentBase64: { zh: '文件', en: 'file' },
  candidateIds: { zh: '候选人', en: 'candidates' },
  extraRetakes: { zh: '额外重录次数', en: 'extra retakes' },
};

/**
 * A field path as a person reads it: the label of its last named segment when we have one
 * (`body.offer.startDate` -> 入职日期), else the path without the request part (`weekly.mon.0.end`).
 */
export function fieldLabel(field: string, locale: ErrorLocale): string {
  const parts = field.split('.');
  const path = ['body', 'query', 'params'].includes(parts[0] ?? '') ? parts.slice(1) : parts;
  const named = [...path].reverse().find((p) => !/^\d+$/.test(p));
  const label = named ? FIELD_LABELS[named] : undefined;
  if (label) return locale === 'en' ? label.en : label.zh;
  return path.join('.') || field;
}

function firstProblem(details: unknown): Partial<FieldProblem> | null {
  const first = Array.isArray(details) ? (details[0] as unknown) : null;
  if (typeof first !== 'object' || first === null) return null;
  const { field, kind } = first as Record<string, unknown>;
  return typeof field === 'string' ? { field, kind: kind as FieldProblem['kind'] } : null;
}

/** Fills every `{name}` from `values`; null when one is missing, so the caller can fall back. */
function fill(text: string, values: Record<string, unknown>): string | null {
  let complete = true;
  const out = text.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const v = values[name];
    if (typeof v === 'number' || (typeof v === 'string' && v !== '')) return String(v);
    complete = false;
    return '';
  });
  return complete ? out : null;
}

/**
 * The sentence to show a person for an error, in their language. Uses the `withDetails` text
 * when `details` carry its values; a `validation_failed` names the first field ("请填写：原因").
 * A code answered without our error body (`http_5xx`, e.g. from a proxy) reads as the server
 * being unreachable; any other unknown code gets the generic text, never the raw server message.
 */
export function errorText(code: string, locale: ErrorLocale, details?: unknown): string {
  const lang = locale === 'en' ? 'en' : 'zh';
  const known: ErrorCode = isErrorCode(code)
    ? code
    : /^http_5\d\d$/.test(code)
      ? 'config_unavailable'
      : 'unknown';
  const entry: ErrorEntry = ERRORS[known];
  if (known === 'validation_failed') {
    const problem = firstProblem(details);
    if (problem?.field) {
      const template = problem.kind === 'required' ? REQUIRED_FIELD_TEXT : entry.withDetails;
      if (template) return template[lang].replace('{field}', () => fieldLabel(problem.field ?? '', locale));
    }
    return entry[lang];
  }
  if (entry.withDetails && typeof details === 'object' && details !== null && !Array.isArray(details)) {
    const filled = fill(entry.withDetails[lang], details as Record<string, unknown>);
    if (filled !== null) return filled;
  }
  return entry[lang];
}
