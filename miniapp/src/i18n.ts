/**
 * Every string the mini-app shows, in one table per language. Chinese is the source of truth:
 * its keys define {@link MessageKey}, and the English table must have exactly the same keys, so a
 * missing translation is a type error rather than a blank on screen. Error texts are not here:
 * they live with their codes in `shared/errors.ts` (see `errors.ts` for showing one).
 */

import * as analyticsMessages from './analytics/messages';
import * as auditMessages from './audit/messages';
import * as bookingMessages from './booking/messages';
import * as candidateMessages from './candidates/messages';
import * as followUpMessages from './followups/messages';
import * as homeMessages from './homes/messages';
import * as interviewMessages from './interview/messages';
import * as jobsMessages from './jobs/messages';
import * as liveRoundMessages from './liveround/messages';
import * as meMessages from './me/messages';
import * as notificationMessages from './notifications/messages';
import * as orgMessages from './org/messages';
import * as pipelineMessages from './pipeline/messages';
import * as qualityMessages from './quality/messages';
import * as queueMessages from './queue/messages';
import * as reportMessages from './reports/messages';
import * as resumeMessages from './resumes/messages';
import * as summaryMessages from './summary/messages';

/** Languages the UI speaks. The values match `Me.locale` from the API. */
export const LANGS = ['zh-CN', 'en'] as const;
/** One UI language. */
export type Lang = (typeof LANGS)[number];

/** The language used until the user or their profile says otherwise. */
export const DEFAULT_LANG: Lang = 'zh-CN';

const zhCN = {
  'app.title': 'AI 视频面试',
  'app.tagline': '在钉钉里完成首轮视频面试',
  'app.loading': '正在登录…',
  'app.demo': '演示环境',
  'common.loadFailed': '加载失败',
  'common.retry': '重试',

  'signin.oauth': '使用钉钉登录',
  'signin.inviteNote': '没有钉钉的受邀候选人，请使用邀请短信或邮件中的链接直接进入。',
  'signin.employeeNote': '公司员工请在钉钉工作台中打开本应用，将自动登录。',
  'signin.retry': '重试',
  'signin.backToSignIn': '返回登录',
  'signin.failedTitle': '登录失败',
  'signin.cancelledTitle': '已取消登录',

  'tab.home': '首页',
  'tab.me': '我的',
  'nav.back': '返回',

  'home.greeting': '你好，{name}',
  'home.title.candidate': '我的面试',
  'home.title.hr': '招聘工作台',
  'home.title.manager': '用人经理',
  'home.title.interviewer': '面试官',
  'home.empty': '暂无内容',

  'section.interviewer.today': '今日面试',
  'section.interviewer.today.desc': '今天安排给你的面试',
  'section.interviewer.pending': '待评估',
  'section.interviewer.pending.desc': '报告已生成、等待你打分的候选人',
  'section.hr.jobs': '职位与面试计划',
  'section.hr.jobs.desc': '职位、题目、考察能力与时间设置',
  'section.hr.today': '今日概览',
  'section.hr.today.desc': '今天的新候选人、面试、待审阅报告、到期待办与审批，点数字直接处理',
  'section.hr.candidates': '候选人与待办',
  'section.hr.candidates.desc': '添加、导入和邀请候选人；等待有人处理的事项',
  'section.hr.org': '组织、权限与审计',
  'section.hr.org.desc': '钉钉通讯录同步、角色开通，以及谁在何时做了什么',
  'section.manager.candidates': '本部门候选人',
  'section.manager.candidates.desc': '本部门职位的候选人与面试报告',
  'section.manager.approvals': '本部门招聘',
  'section.manager.approvals.desc': '各职位的候选人进度，以及等待审批的候选人',

  'me.title': '我的',
  'me.name': '姓名',
  'me.kind': '身份',
  'me.roles': '角色',
  'me.department': '部门',
  'me.noDepartment': '无',
  'me.language': '语言',
  'me.signOut': '退出登录',
  'me.signOutConfirm': '确定退出登录吗？',
  'me.cancel': '取消',

  'kind.employee': '企业员工',
  'kind.candidate': '候选人',
  'role.hr': 'HR',
  'role.manager': '用人经理',
  'role.interviewer': '面试官',
  'role.admin': '管理员',
  'role.candidate': '候选人',

  'lang.zh-CN': '简体中文',
  'lang.en': 'English',
  ...interviewMessages.zhCN,
  ...bookingMessages.zhCN,
  ...notificationMessages.zhCN,
  ...reportMessages.zhCN,
  ...qualityMessages.zhCN,
  ...meMessages.zhCN,
  ...pipelineMessages.zhCN,
  ...jobsMessages.zhCN,
  ...candidateMessages.zhCN,
  ...queueMessages.zhCN,
  ...resumeMessages.zhCN,
  ...orgMessages.zhCN,
  ...auditMessages.zhCN,
  ...analyticsMessages.zhCN,
  ...homeMessages.zhCN,
  ...followUpMessages.zhCN,
  ...liveRoundMessages.zhCN,
  ...summaryMessages.zhCN,
} as const;

/** Key of one UI message. */
export type MessageKey = keyof typeof zhCN;
/** A full message table for one language. */
export type Messages = Record<MessageKey, string>;

const en: Messages = {
  ...interviewMessages.en,
  ...bookingMessages.en,
  ...notificationMessages.en,
  ...reportMessages.en,
  ...qualityMessages.en,
  ...meMessages.en,
  ...pipelineMessages.en,
  ...jobsMessages.en,
  ...candidateMessages.en,
  ...queueMessages.en,
  ...resumeMessages.en,
  ...orgMessages.en,
  ...auditMessages.en,
  ...analyticsMessages.en,
  ...homeMessages.en,
  ...followUpMessages.en,
  ...liveRoundMessages.en,
  ...summaryMessages.en,
  'app.title': 'AI Video Interview',
  'app.tagline': 'First-round video interviews, inside DingTalk',
  'app.loading': 'Signing in…',
  'app.demo': 'Demo',
  'common.loadFailed': 'Could not load',
  'common.retry': 'Retry',

  'signin.oauth': 'Sign in with DingTalk',
  'signin.inviteNote':
    'Invited candidates without DingTalk: open the link in your invitation text message or email.',
  'signin.employeeNote': 'Employees: open this app from the DingTalk workbench to sign in automatically.',
  'signin.retry': 'Try again',
  'signin.backToSignIn': 'Back to sign-in',
  'signin.failedTitle': 'Sign-in failed',
  'signin.cancelledTitle': 'Sign-in cancelled',

  'tab.home': 'Home',
  'tab.me': 'Me',
  'nav.back': 'Back',

  'home.greeting': 'Hello, {name}',
  'home.title.candidate': 'My interviews',
  'home.title.hr': 'Recruiting',
  'home.title.manager': 'Hiring manager',
  'home.title.interviewer': 'Interviewer',
  'home.empty': 'Nothing here yet',

  'section.interviewer.today': "Today's interviews",
  'section.interviewer.today.desc': 'Interviews scheduled for you today',
  'section.interviewer.pending': 'To review',
  'section.interviewer.pending.desc': 'Candidates whose report is ready for your rating',
  'section.hr.jobs': 'Jobs and interview plans',
  'section.hr.jobs.desc': 'Jobs, questions, competencies and timing',
  'section.hr.today': 'Today',
  'section.hr.today.desc':
    'New candidates, interviews, reports to review, to-dos due and approvals; tap a number to act',
  'section.hr.candidates': 'Candidates and to-dos',
  'section.hr.candidates.desc': 'Add, import and invite candidates; what is waiting on someone',
  'section.hr.org': 'Organisation, roles and audit',
  'section.hr.org.desc': 'DingTalk directory sync, role grants, and who did what, when',
  'section.manager.candidates': 'My department’s candidates',
  'section.manager.candidates.desc': 'Candidates and reports for your department’s jobs',
  'section.manager.approvals': 'My department’s hiring',
  'section.manager.approvals.desc': 'Candidates per stage of each job, and those waiting for approval',

  'me.title': 'Me',
  'me.name': 'Name',
  'me.kind': 'Account',
  'me.roles': 'Roles',
  'me.department': 'Department',
  'me.noDepartment': 'None',
  'me.language': 'Language',
  'me.signOut': 'Sign out',
  'me.signOutConfirm': 'Sign out now?',
  'me.cancel': 'Cancel',

  'kind.employee': 'Employee',
  'kind.candidate': 'Candidate',
  'role.hr': 'HR',
  'role.manager': 'Hiring manager',
  'role.interviewer': 'Interviewer',
  'role.admin': 'Administrator',
  'role.candidate': 'Candidate',

  'lang.zh-CN': '简体中文',
  'lang.en': 'English',
};

/** All message tables, by language. */
export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

/** Values substituted into `{name}`-style placeholders. */
export type MessageParams = Record<string, string | number>;

/**
 * Looks up a message and fills its `{placeholders}`. Unknown placeholders are left visible so
 * a forgotten parameter shows up in review instead of silently vanishing.
 */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const text = MESSAGES[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Narrows an untrusted string (localStorage, API) to a supported language. */
export function asLang(value: unknown): Lang | null {
  return LANGS.includes(value as Lang) ? (value as Lang) : null;
}
