/**
 * What the bot says, in zh-CN and English. Pure: builders take the facts a recipient may see
 * and return a channel-neutral {@link BotMessage}; the delivery worker turns it into a robot
 * ActionCard, a work notification, a webhook body or an inbox entry. Links are paths into the
 * mini-app, made absolute with the public URL at send time.
 *
 * What each recipient may see is decided here by what the builder accepts: candidate messages
 * take no scores, flags or interviewer notes; only the hiring team's group gets the score.
 */
import { APPROVAL_KIND_LABELS, type ApprovalKind } from '../shared/api/workflow';
import { absoluteAppUrl, routes } from '../shared/routes';
import { wallClock } from '../shared/slots/time';

/** Languages the bot speaks. */
export type BotLocale = 'zh-CN' | 'en';

/** A button that opens a page. `url` is a mini-app path (`/reports/3`) or an absolute URL. */
export interface BotButton {
  title: string;
  url: string;
}

/** One message, independent of the channel. `text` is DingTalk markdown. */
export interface BotMessage {
  title: string;
  text: string;
  buttons: BotButton[];
  /** Shown as a DING-style urgent notice (red header, sent again if unread). */
  urgent?: boolean;
}

/** When and where an interview takes place. */
export interface Slot {
  startAt: string;
  endAt?: string;
  timezone: string;
  kind: 'ai_interview' | 'second_round';
}

/** The data each template takes. */
export interface TemplateData {
  'candidate.invitation': {
    candidateName: string;
    jobTitle: string;
    deadlineAt: string | null;
    link: string;
    timezone: string;
  };
  'candidate.booking_confirmed': Slot & {
    jobTitle: string;
    bookingId: number;
    rescheduled?: boolean;
    /** Signed link to the booking's .ics (works without the app's session). */
    icsUrl: string;
    /** A "remind me at…" time for an interview taken any time (not an appointment). */
    reminderOnly?: boolean;
  };
  'candidate.booking_cancelled': Slot & { jobTitle: string; applicationId: number; reason?: string | null };
  'candidate.reminder': Slot & {
    jobTitle: string;
    bookingId: number;
    minutesBefore: number;
    /** A "remind me at…" time: the interview can be started now, the button opens it. */
    reminderOnly?: boolean;
  };
  'candidate.deadline_nudge': {
    jobTitle: string;
    deadlineAt: string;
    timezone: string;
    applicationId: number;
    hoursLeft: number;
  };
  'candidate.no_show': { jobTitle: string; rescheduleLink: string };
  'candidate.answers_received': { jobTitle: string };
  'candidate.feedback': { jobTitle: string; feedback: string };
  'candidate.offer': { jobTitle: string; applicationId: number };
  'candidate.followups': { jobTitle: string; count: number };
  'interviewer.assignment': Slot & {
    candidateName: string;
    jobTitle: string;
    bookingId: number;
    applicationId: number;
    /** The AI interview report the interviewer reviews (null or absent: none yet, the home). */
    reportId?: number | null;
  };
  'interviewer.booking_cancelled': Slot & { candidateName: string; jobTitle: string };
  /** The interview outline (面试提纲) of a live round, the day before: how many questions and the first few. */
  'interviewer.outline': Slot & {
    candidateName: string;
    jobTitle: string;
    bookingId: number;
    count: number;
    questions: Array<{ question: string }>;
  };
  'interviewer.reminder': Slot & {
    candidateName: string;
    jobTitle: string;
    applicationId: number;
    minutesBefore: number;
    reportId?: number | null;
  };
  'interviewer.urgent': Slot & {
    candidateName: string;
    jobTitle: string;
    applicationId: number;
    minutesBefore: number;
    reportId?: number | null;
  };
  'interviewer.report_ready': {
    candidateName: string;
    jobTitle: string;
    applicationId: number;
    reportId: number;
  };
  'interviewer.digest': {
    date: string;
    interviews: Array<{ time: string; candidateName: string; jobTitle: string }>;
    pendingReviews: number;
  };
  'approval.waiting': {
    kind: 'second_round' | 'offer';
    candidateName: string;
    jobTitle: string;
    applicationId: number;
    approvalId: number;
    hoursWaiting: number;
  };
  'hiring.high_score': {
    candidateName: string;
    jobTitle: string;
    overall: number;
    applicationId: number;
    reportId: number;
  };
  'hr.pipeline_digest': {
    date: string;
    changes: Array<{ candidateName: string; jobTitle: string; from: string; to: string }>;
  };
  'analytics.weekly_digest': {
    /** The day the digest was written (YYYY-MM-DD, Asia/Shanghai). */
    date: string;
    jobTitle: string;
    /** All applications to the job, those of the last 7 days, and how far they got. */
    applicants: number;
    newThisWeek: number;
    secondRound: number;
    hires: number;
    /** Median days from application to hire (one decimal); null before the first hire. */
    medianDaysToHire: number | null;
    /** Applications not yet decided (not hired, rejected or withdrawn). */
    open: number;
  };
  'hr.delivery_failures': {
    count: number;
    examples: Array<{ topic: string; recipient: string; error: string }>;
  };
  'candidate.request_answered': {
    jobTitle: string;
    /** What the candidate asked for. */
    kind: 'explanation' | 'human_review' | 'accommodation';
    /** For an accommodation: granted or declined; null for the other kinds. */
    granted: boolean | null;
    /** HR's answer (free text, shown as written). */
    answer: string;
  };
  'hr.queue_due': {
    /** Items due soon or overdue, with what they are. */
    items: Array<{ kind: string; candidateName: string; dueAt: string }>;
    timezone: string;
  };
  'hr.agreement_alert': {
    /** Monday of the week (YYYY-MM-DD). */
    week: string;
    items: Array<{
      jobTitle: string;
      competency: string;
      flags: Array<'low_agreement' | 'drift'>;
      n: number;
      qwk: number | null;
      earlierQwk: number | null;
    }>;
  };
}

/** Template names. */
export type TemplateName = keyof TemplateData;

/** Formats an instant for the recipient: `2026-03-02 14:30 (Asia/Shanghai)`. */
export function formatWhen(iso: string, timezone: string, locale: BotLocale): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) throw new RangeError(`Invalid time value: ${iso}`);
  // The slots' wall clock keeps what it needs per zone: building an Intl.DateTimeFormat per
  // message cost the worker about 1.5 s of CPU in a thousand-candidate run.
  const w = wallClock(at, timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  const base = `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}`;
  return locale === 'en' ? `${base} (${timezone})` : `${base}（${timezone}）`;
}

/** "24 小时" / "24 hours", "10 分钟" / "10 minutes". */
export function formatLead(minutes: number, locale: BotLocale): string {
  if (minutes % 60 === 0) {
    const h = minutes / 60;
    return locale === 'en' ? `${h} hour${h === 1 ? '' : 's'}` : `${h} 小时`;
  }
  return locale === 'en' ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${minutes} 分钟`;
}

/** What each kind of booking is called (a record: a new kind does not compile without names). */
const KIND_NAMES: Record<Slot['kind'], { zh: string; en: string }> = {
  ai_interview: { zh: 'AI 面试', en: 'AI interview' },
  second_round: { zh: '现场/视频面试', en: 'live interview' },
};

const kindName = (k: Slot['kind'], l: BotLocale) => KIND_NAMES[k][l === 'en' ? 'en' : 'zh'];

const approvalName = (k: ApprovalKind, l: BotLocale) => APPROVAL_KIND_LABELS[k][l === 'en' ? 'en' : 'zh'];

type Builder<T extends TemplateName> = (d: TemplateData[T], l: BotLocale) => BotMessage;

const en = (l: BotLocale) => l === 'en';

type ConfirmedData = TemplateData['candidate.booking_confirmed'];

/**
 * Links per recipient role (issue 19 item 5): every button names the page its reader works on.
 * Candidates get their own pages (home, interview, bookings, offer); interviewers the review
 * page of the candidate's report (their home, listing their interviews, while there is none);
 * HR and managers the pipeline's application page.
 */
const reviewPage = (d: { reportId?: number | null }) =>
  d.reportId ? routes.report(d.reportId) : routes.home();

/** A booked session: when, and the calendar file. */
function bookingConfirmed(d: ConfirmedData, l: BotLocale): BotMessage {
  return {
    title: d.rescheduled
      ? en(l)
        ? 'Interview rescheduled'
        : '面试时间已变更'
      : en(l)
        ? 'Interview booked'
        : '面试预约成功',
    text: en(l)
      ? `Your ${kindName(d.kind, l)} for **${d.jobTitle}** is ${d.rescheduled ? 'now' : ''} at **${formatWhen(d.startAt, d.timezone, l)}**.\n\nAdd it to your calendar with the .ics file.`
      : `您的 **${d.jobTitle}** ${kindName(d.kind, l)}${d.rescheduled ? '已改为' : '时间为'} **${formatWhen(d.startAt, d.timezone, l)}**。\n\n可下载 .ics 文件添加到日历。`,
    buttons: [
      { title: en(l) ? 'View booking' : '查看预约', url: routes.myBookings() },
      {
        title: en(l) ? 'Add to calendar (.ics)' : '添加到日历（.ics）',
        url: d.icsUrl,
      },
    ],
  };
}

/** A "remind me at…" time of an interview taken any time: when we remind, and that now works too. */
function reminderSet(d: ConfirmedData, l: BotLocale): BotMessage {
  return {
    title: en(l) ? 'Reminder set' : '提醒已设定',
    text: en(l)
      ? `We will remind you at **${formatWhen(d.startAt, d.timezone, l)}** to take the AI interview for **${d.jobTitle}**. You do not have to wait: you can start any time before the deadline.`
      : `我们会在 **${formatWhen(d.startAt, d.timezone, l)}** 提醒您参加 **${d.jobTitle}** 的 AI 面试。无需等到那时，截止前随时可以开始。`,
    buttons: [
      { title: en(l) ? 'Start now' : '现在开始', url: routes.interview() },
      { title: en(l) ? 'Add to calendar (.ics)' : '添加到日历（.ics）', url: d.icsUrl },
    ],
  };
}

const BUILDERS: { [K in TemplateName]: Builder<K> } = {
  'candidate.invitation': (d, l) => ({
    title: en(l) ? `Interview invitation: ${d.jobTitle}` : `面试邀请：${d.jobTitle}`,
    text: en(l)
      ? `Hello ${d.candidateName}, you are invited to an AI video interview for **${d.jobTitle}**.${d.deadlineAt ? `\n\nPlease complete it before ${formatWhen(d.deadlineAt, d.timezone, l)}.` : ''}`
      : `${d.candidateName} 您好，诚邀您参加 **${d.jobTitle}** 岗位的 AI 视频面试。${d.deadlineAt ? `\n\n请在 ${formatWhen(d.deadlineAt, d.timezone, l)} 前完成。` : ''}`,
    buttons: [{ title: en(l) ? 'Open invitation' : '查看邀请', url: d.link }],
  }),
  'candidate.booking_confirmed': (d, l) => (d.reminderOnly ? reminderSet(d, l) : bookingConfirmed(d, l)),
  'candidate.booking_cancelled': (d, l) => ({
    title: en(l) ? 'Interview cancelled' : '面试已取消',
    text: en(l)
      ? `Your ${kindName(d.kind, l)} for **${d.jobTitle}** at ${formatWhen(d.startAt, d.timezone, l)} was cancelled.${d.reason ? `\n\nReason: ${d.reason}` : ''}`
      : `您在 ${formatWhen(d.startAt, d.timezone, l)} 的 **${d.jobTitle}** ${kindName(d.kind, l)}已取消。${d.reason ? `\n\n原因：${d.reason}` : ''}`,
    buttons: [{ title: en(l) ? 'Choose a new time' : '重新预约', url: routes.book(d.applicationId, d.kind) }],
  }),
  'candidate.reminder': (d, l) =>
    d.reminderOnly
      ? {
          title: en(l) ? 'Reminder: you can start your interview now' : '提醒：现在可以开始 AI 面试',
          text: en(l)
            ? `You asked to be reminded at **${formatWhen(d.startAt, d.timezone, l)}** to take the AI interview for **${d.jobTitle}**. It is open now until the deadline; find a quiet place and start when ready.`
            : `您设定在 **${formatWhen(d.startAt, d.timezone, l)}** 参加 **${d.jobTitle}** 的 AI 面试。截止前随时可以开始，请找好安静的环境后开始。`,
          buttons: [{ title: en(l) ? 'Start the interview' : '开始面试', url: routes.interview() }],
        }
      : {
          title: en(l)
            ? `Reminder: interview in ${formatLead(d.minutesBefore, l)}`
            : `提醒：${formatLead(d.minutesBefore, l)}后面试`,
          text: en(l)
            ? `Your ${kindName(d.kind, l)} for **${d.jobTitle}** starts at **${formatWhen(d.startAt, d.timezone, l)}**. Please find a quiet place and check your camera and microphone.`
            : `您的 **${d.jobTitle}** ${kindName(d.kind, l)}将于 **${formatWhen(d.startAt, d.timezone, l)}** 开始，请提前找好安静的环境并检查摄像头和麦克风。`,
          // An AI interview opens the interview itself; a live one the candidate's bookings.
          buttons: [
            {
              title: en(l) ? 'Open' : '进入面试',
              url: d.kind === 'ai_interview' ? routes.interview() : routes.myBookings(),
            },
          ],
        },
  'candidate.deadline_nudge': (d, l) => ({
    title: en(l)
      ? `${d.hoursLeft} hours left to complete your interview`
      : `面试截止还剩 ${d.hoursLeft} 小时`,
    text: en(l)
      ? `The invitation for **${d.jobTitle}** expires at ${formatWhen(d.deadlineAt, d.timezone, l)}.`
      : `**${d.jobTitle}** 的面试邀请将于 ${formatWhen(d.deadlineAt, d.timezone, l)} 截止。`,
    buttons: [{ title: en(l) ? 'Start now' : '立即开始', url: routes.interview() }],
  }),
  'candidate.no_show': (d, l) => ({
    title: en(l) ? 'We missed you' : '您错过了面试',
    text: en(l)
      ? `You did not join the interview for **${d.jobTitle}**. You may choose a new time once with the link below.`
      : `您未参加 **${d.jobTitle}** 的面试。可通过下方链接重新预约一次。`,
    buttons: [{ title: en(l) ? 'Reschedule (once)' : '重新预约（限一次）', url: d.rescheduleLink }],
  }),
  'candidate.answers_received': (d, l) => ({
    title: en(l) ? 'Answers received' : '已收到您的回答',
    text: en(l)
      ? `Thank you, we received your interview answers for **${d.jobTitle}**. We will get back to you.`
      : `感谢您完成 **${d.jobTitle}** 的面试，我们已收到您的回答，会尽快与您联系。`,
    buttons: [],
  }),
  'candidate.feedback': (d, l) => ({
    title: en(l) ? `About your application: ${d.jobTitle}` : `关于您的申请：${d.jobTitle}`,
    text: en(l)
      ? `Thank you for your time. We will not continue with your application for **${d.jobTitle}**.\n\n${d.feedback}`
      : `感谢您的时间。很遗憾，您申请的 **${d.jobTitle}** 暂未进入下一轮。\n\n${d.feedback}`,
    buttons: [],
  }),
  'candidate.followups': (d, l) => ({
    title: en(l) ? 'A few follow-up questions' : '还有几个追问',
    text: en(l)
      ? `Thank you for your answers for **${d.jobTitle}**. We have ${d.count} short follow-up question(s) about them; answering takes a few minutes.`
      : `感谢您完成 **${d.jobTitle}** 的面试。针对您的回答，我们还有 ${d.count} 个简短的追问，几分钟即可完成。`,
    buttons: [{ title: en(l) ? 'Answer now' : '去回答', url: routes.followUps() }],
  }),
  'candidate.offer': (d, l) => ({
    title: en(l) ? `Offer: ${d.jobTitle}` : `录用通知：${d.jobTitle}`,
    text: en(l)
      ? `Congratulations! We would like to offer you the **${d.jobTitle}** position. HR will contact you with the details.`
      : `恭喜您！我们决定录用您担任 **${d.jobTitle}**，HR 将与您联系确认细节。`,
    buttons: [{ title: en(l) ? 'View' : '查看', url: routes.offer() }],
  }),
  'interviewer.assignment': (d, l) => ({
    title: en(l) ? 'New interview assigned' : '新的面试安排',
    text: en(l)
      ? `You interview **${d.candidateName}** for **${d.jobTitle}** at **${formatWhen(d.startAt, d.timezone, l)}**.`
      : `您将于 **${formatWhen(d.startAt, d.timezone, l)}** 面试 **${d.candidateName}**（${d.jobTitle}）。`,
    buttons: [{ title: en(l) ? 'View candidate' : '查看候选人', url: reviewPage(d) }],
  }),
  'interviewer.outline': (d, l) => ({
    title: en(l) ? `Interview outline: ${d.candidateName}` : `面试提纲：${d.candidateName}`,
    text: [
      en(l)
        ? `You interview **${d.candidateName}** for **${d.jobTitle}** at **${formatWhen(d.startAt, d.timezone, l)}**. The outline has ${d.count} questions built from the AI report, the job's requirements and the résumé; the first ones:`
        : `您将于 **${formatWhen(d.startAt, d.timezone, l)}** 面试 **${d.candidateName}**（${d.jobTitle}）。根据 AI 面试报告、岗位要求和简历，为您准备了 ${d.count} 个问题，前几个是：`,
      ...d.questions.map((q, i) => `${i + 1}. ${q.question}`),
    ].join('\n\n'),
    buttons: [
      { title: en(l) ? 'Open outline and scorecard' : '查看提纲并评分', url: routes.liveRound(d.bookingId) },
    ],
  }),
  'interviewer.booking_cancelled': (d, l) => ({
    title: en(l) ? 'Interview cancelled' : '面试已取消',
    text: en(l)
      ? `The interview with **${d.candidateName}** (${d.jobTitle}) at ${formatWhen(d.startAt, d.timezone, l)} was cancelled.`
      : `${formatWhen(d.startAt, d.timezone, l)} 与 **${d.candidateName}**（${d.jobTitle}）的面试已取消。`,
    buttons: [],
  }),
  'interviewer.reminder': (d, l) => ({
    title: en(l)
      ? `Interview in ${formatLead(d.minutesBefore, l)}`
      : `${formatLead(d.minutesBefore, l)}后有面试`,
    text: en(l)
      ? `**${d.candidateName}** (${d.jobTitle}) at **${formatWhen(d.startAt, d.timezone, l)}**.`
      : `**${formatWhen(d.startAt, d.timezone, l)}** 面试 **${d.candidateName}**（${d.jobTitle}）。`,
    buttons: [{ title: en(l) ? 'Open' : '打开', url: reviewPage(d) }],
  }),
  'interviewer.urgent': (d, l) => ({
    title: en(l)
      ? `URGENT: interview in ${formatLead(d.minutesBefore, l)}`
      : `【紧急】${formatLead(d.minutesBefore, l)}后面试`,
    text: en(l)
      ? `You have not read the reminder: **${d.candidateName}** (${d.jobTitle}) starts at **${formatWhen(d.startAt, d.timezone, l)}**.`
      : `您尚未查看面试提醒：**${d.candidateName}**（${d.jobTitle}）将于 **${formatWhen(d.startAt, d.timezone, l)}** 开始。`,
    buttons: [{ title: en(l) ? 'Open' : '打开', url: reviewPage(d) }],
    urgent: true,
  }),
  'interviewer.report_ready': (d, l) => ({
    title: en(l) ? 'Report ready to review' : '面试报告待评阅',
    text: en(l)
      ? `The AI interview report of **${d.candidateName}** (${d.jobTitle}) is ready.`
      : `**${d.candidateName}**（${d.jobTitle}）的 AI 面试报告已生成，请评阅。`,
    buttons: [{ title: en(l) ? 'Review report' : '查看报告', url: routes.report(d.reportId) }],
  }),
  'interviewer.digest': (d, l) => ({
    title: en(l) ? `Today (${d.date})` : `今日安排（${d.date}）`,
    text: [
      en(l) ? `**Interviews today: ${d.interviews.length}**` : `**今日面试：${d.interviews.length} 场**`,
      ...d.interviews.map((i) => `- ${i.time} ${i.candidateName}（${i.jobTitle}）`),
      en(l) ? `\nReports waiting for review: ${d.pendingReviews}` : `\n待评阅报告：${d.pendingReviews} 份`,
    ].join('\n'),
    buttons: [{ title: en(l) ? 'Open' : '打开', url: routes.home() }],
  }),
  'approval.waiting': (d, l) => ({
    title: en(l)
      ? `Approval waiting ${d.hoursWaiting} h: ${approvalName(d.kind, l)}`
      : `${approvalName(d.kind, l)}审批已等待 ${d.hoursWaiting} 小时`,
    text: en(l)
      ? `The ${approvalName(d.kind, l)} approval for **${d.candidateName}** (${d.jobTitle}) is waiting for you.`
      : `**${d.candidateName}**（${d.jobTitle}）的${approvalName(d.kind, l)}审批正在等待您处理。`,
    buttons: [{ title: en(l) ? 'Review' : '去处理', url: routes.pipelineApplication(d.applicationId) }],
  }),
  'hiring.high_score': (d, l) => ({
    title: en(l) ? `High score: ${d.candidateName}` : `高分候选人：${d.candidateName}`,
    text: en(l)
      ? `**${d.candidateName}** scored **${d.overall}** in the AI interview for **${d.jobTitle}**.`
      : `**${d.candidateName}** 在 **${d.jobTitle}** 的 AI 面试中得分 **${d.overall}**。`,
    buttons: [
      { title: en(l) ? 'View report' : '查看报告', url: routes.report(d.reportId) },
      {
        title: en(l) ? 'Start second round' : '发起复试',
        url: routes.pipelineApplication(d.applicationId, { action: 'second_round' }),
      },
    ],
  }),
  'hr.pipeline_digest': (d, l) => ({
    title: en(l) ? `Pipeline changes (${d.date})` : `招聘进展日报（${d.date}）`,
    text: d.changes.length
      ? d.changes.map((c) => `- ${c.candidateName}（${c.jobTitle}）：${c.from} → ${c.to}`).join('\n')
      : en(l)
        ? 'No changes yesterday.'
        : '昨日无变化。',
    buttons: [{ title: en(l) ? 'Open pipeline' : '查看流程', url: routes.home() }],
  }),
  'analytics.weekly_digest': (d, l) => ({
    title: en(l)
      ? `Weekly hiring numbers: ${d.jobTitle} (${d.date})`
      : `招聘周报：${d.jobTitle}（${d.date}）`,
    text: en(l)
      ? [
          `- Applicants: ${d.applicants} (${d.newThisWeek} this week), ${d.open} still open`,
          `- Second round: ${d.secondRound}; hired: ${d.hires}`,
          `- Median time to hire: ${d.medianDaysToHire === null ? '—' : `${d.medianDaysToHire} days`}`,
        ].join('\n')
      : [
          `- 申请 ${d.applicants} 人（本周新增 ${d.newThisWeek} 人），进行中 ${d.open} 人`,
          `- 进入复试 ${d.secondRound} 人，已录用 ${d.hires} 人`,
          `- 录用用时中位数：${d.medianDaysToHire === null ? '—' : `${d.medianDaysToHire} 天`}`,
        ].join('\n'),
    buttons: [{ title: en(l) ? 'Open analytics' : '查看数据分析', url: routes.analytics() }],
  }),
  'hr.delivery_failures': (d, l) => ({
    title: en(l) ? `${d.count} messages could not be delivered` : `${d.count} 条消息发送失败`,
    text: d.examples.map((e) => `- ${e.topic} → ${e.recipient}: ${e.error}`).join('\n'),
    buttons: [{ title: en(l) ? 'View failures' : '查看失败记录', url: routes.deliveryFailures() }],
  }),
  'candidate.request_answered': (d, l) => {
    const what = {
      explanation: en(l) ? 'your request for an explanation' : '您的解释请求',
      human_review: en(l) ? 'your request for a review by a person' : '您的人工复核请求',
      accommodation: en(l) ? 'your request for an accommodation' : '您的便利安排申请',
    }[d.kind];
    const outcome =
      d.granted === null
        ? ''
        : d.granted
          ? en(l)
            ? ' It was granted.'
            : '已批准。'
          : en(l)
            ? ' It was declined.'
            : '未获批准。';
    return {
      title: en(l) ? `Answer to your request: ${d.jobTitle}` : `您的请求已处理：${d.jobTitle}`,
      text: en(l)
        ? `HR answered ${what} about **${d.jobTitle}**.${outcome}\n\n${d.answer}`
        : `HR 已处理${what}（**${d.jobTitle}**）。${outcome}\n\n${d.answer}`,
      buttons: [],
    };
  },
  'hr.queue_due': (d, l) => ({
    title: en(l) ? `${d.items.length} to-do items are due` : `${d.items.length} 项待办即将到期`,
    text: d.items
      .map((i) => `- ${i.kind} · ${i.candidateName} · ${formatWhen(i.dueAt, d.timezone, l)}`)
      .join('\n'),
    buttons: [{ title: en(l) ? 'Open to-do list' : '查看待办', url: routes.queue() }],
  }),
  'hr.agreement_alert': (d, l) => ({
    title: en(l)
      ? 'AI scores and interviewers disagree more than they should'
      : 'AI 评分与面试官评分一致性需要关注',
    text: [
      en(l)
        ? 'Check the rubric and recent answers; the AI only suggests, people decide.'
        : '请检查评分标准和近期回答；AI 只提供参考，由人做决定。',
      ...d.items.map((i) => {
        const what = i.flags
          .map((f) =>
            f === 'drift'
              ? en(l)
                ? `dropped from ${i.earlierQwk?.toFixed(2)}`
                : `较此前 ${i.earlierQwk?.toFixed(2)} 下降`
              : en(l)
                ? 'low'
                : '偏低',
          )
          .join(en(l) ? ', ' : '，');
        return `- ${i.jobTitle} · ${i.competency}: QWK ${i.qwk?.toFixed(2) ?? '—'} (${what}; n=${i.n})`;
      }),
    ].join('\n'),
    buttons: [{ title: en(l) ? 'Open agreement report' : '查看一致性报告', url: routes.quality() }],
  }),
};

/**
 * Markdown characters replaced by their full-width forms in user-controlled text. DingTalk's
 * markdown has no documented escape, and a full-width bracket or asterisk reads the same to a
 * person while it can never open a link, an image, emphasis, a heading or an HTML tag.
 */
const MARKDOWN_LOOKALIKES: Record<string, string> = {
  '\\': '＼',
  '`': '｀',
  '*': '＊',
  _: '＿',
  '[': '［',
  ']': '］',
  '(': '（',
  ')': '）',
  '#': '＃',
  '<': '＜',
  '>': '＞',
  '!': '！',
  '|': '｜',
  '~': '～',
};
const MARKDOWN_SPECIAL = /[\\`*_[\]()#<>!|~]/g;

/**
 * Makes user-controlled text (a name, a job title, a remark) inert inside a markdown message:
 * markdown characters become look-alikes and line breaks become spaces, so the text cannot add
 * links, images, emphasis, headings or lines of its own. `multiline` keeps line breaks (each
 * line still inert).
 */
export function escapeMarkdown(text: string, opts: { multiline?: boolean } = {}): string {
  const inert = text.replace(MARKDOWN_SPECIAL, (c) => MARKDOWN_LOOKALIKES[c] ?? c);
  return opts.multiline ? inert.replace(/\r\n?/g, '\n') : inert.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Fields of template data that carry people's or users' text (escaped before rendering). */
const TEXT_FIELDS = new Set([
  'candidateName',
  'jobTitle',
  'reason',
  'remark',
  'competency',
  'question',
  'error',
  'recipient',
]);
/** Text fields whose line breaks are kept (each line still inert). */
const BLOCK_FIELDS = new Set(['feedback', 'answer']);

function escapeData(value: unknown, key: string | null, depth = 0): unknown {
  if (typeof value === 'string' && key !== null) {
    if (TEXT_FIELDS.has(key)) return escapeMarkdown(value);
    if (BLOCK_FIELDS.has(key)) return escapeMarkdown(value, { multiline: true });
    return value;
  }
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => escapeData(v, null, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeData(v, k, depth + 1)]));
}

/** True when `name` is a known template. */
export function isTemplate(name: string): name is TemplateName {
  return Object.hasOwn(BUILDERS, name);
}

/**
 * Renders a template for one recipient. Every user-controlled text field of `data` is made
 * inert first ({@link escapeMarkdown}), so no template can forget it.
 */
export function renderMessage<T extends TemplateName>(
  template: T,
  data: TemplateData[T],
  locale: BotLocale,
): BotMessage {
  return (BUILDERS[template] as Builder<T>)(escapeData(data, null) as TemplateData[T], locale);
}

/** `zh-CN` unless the stored locale is English. */
export function botLocale(locale: string | null | undefined): BotLocale {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** Makes a button or link absolute against the app's public URL. */
export function absoluteUrl(url: string, publicUrl: string): string {
  return /^https?:\/\//.test(url) ? url : absoluteAppUrl(publicUrl, url);
}
