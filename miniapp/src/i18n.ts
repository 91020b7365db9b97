/**
 * Every string the mini-app shows, in one table per language. Chinese is the source of truth:
 * its keys define {@link MessageKey}, and each English table must have exactly the same keys, so a
 * missing translation is a type error rather than a blank on screen. Error texts are not here:
 * they live with their codes in `shared/errors.ts` (see `errors.ts` for showing one).
 *
 * Only the texts of the first load (sign-in, the frame, the homes' titles, the profile labels) are
 * in this module. Each feature's `messages.ts` loads with the lazy screens that use it
 * (`messageLoaders.ts`, `lazyScreen`) and is merged in by {@link registerMessages}, so HR's,
 * interviewers' and managers' texts stay out of a candidate's first load, and the candidate's own
 * screens' texts out of the sign-in page (issue 18). The keys of those catalogues are still part of
 * {@link MessageKey}: `t('pl.title')` type-checks everywhere.
 */

/**
 * The catalogues that load with their screens, by feature (`messageLoaders.ts` has a loader for
 * each; a type-only reference, so none of them is bundled here).
 */
export interface LazyCatalogues {
  analytics: typeof import('./analytics/messages');
  audit: typeof import('./audit/messages');
  booking: typeof import('./booking/messages');
  candidates: typeof import('./candidates/messages');
  followups: typeof import('./followups/messages');
  homes: typeof import('./homes/messages');
  interview: typeof import('./interview/messages');
  jobs: typeof import('./jobs/messages');
  liveround: typeof import('./liveround/messages');
  me: typeof import('./me/messages');
  notifications: typeof import('./notifications/messages');
  org: typeof import('./org/messages');
  pipeline: typeof import('./pipeline/messages');
  quality: typeof import('./quality/messages');
  queue: typeof import('./queue/messages');
  reports: typeof import('./reports/messages');
  resumes: typeof import('./resumes/messages');
  summary: typeof import('./summary/messages');
}

// The language names and the stored choice live apart from the texts, so the script inlined in
// `index.html` (`inlineReads.ts`) can read the choice without carrying the texts.
import type { Lang } from './lang';

export { asLang, DEFAULT_LANG, LANG_KEY, LANGS, type Lang, storedLang } from './lang';

const zhCN = {
  'app.title': 'AI 视频面试',
  'app.tagline': '在钉钉里完成首轮视频面试',
  'app.loading': '正在登录…',
  'app.demo': '演示环境',
  'common.loadFailed': '加载失败',
  'common.retry': '重试',
  'common.clear': '清除',

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
  'nav.opening': '正在打开…',

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
} as const;

/** Key of a message of the first load (always present). */
type FirstLoadKey = keyof typeof zhCN;
/** Key of a message of a lazily loaded feature catalogue. */
type LazyKey = { [F in keyof LazyCatalogues]: keyof LazyCatalogues[F]['zhCN'] }[keyof LazyCatalogues];
/** Key of one UI message. */
export type MessageKey = FirstLoadKey | LazyKey;
/** A full message table for one language. */
export type Messages = Record<MessageKey, string>;

const en: Record<FirstLoadKey, string> = {
  'app.title': 'AI Video Interview',
  'app.tagline': 'First-round video interviews, inside DingTalk',
  'app.loading': 'Signing in…',
  'app.demo': 'Demo',
  'common.loadFailed': 'Could not load',
  'common.retry': 'Retry',
  'common.clear': 'Clear',

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
  'nav.opening': 'Opening…',

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

/**
 * The message tables loaded so far, by language: the first load's, then every feature catalogue
 * registered since. Partial until the lazy screens' catalogues arrive.
 */
const MESSAGES: Record<Lang, Partial<Messages>> = { 'zh-CN': { ...zhCN }, en: { ...en } };

/** One feature's `messages.ts`: its Chinese table and the English one with the same keys. */
export interface MessageCatalogue {
  readonly zhCN: Readonly<Record<string, string>>;
  readonly en: Readonly<Record<string, string>>;
}

let version = 0;
const listeners = new Set<() => void>();
let onMissing: ((key: MessageKey) => void) | null = null;

/**
 * Merges feature catalogues into the tables (idempotent), then tells subscribers (the locale
 * provider re-renders, so a title drawn before its catalogue arrived fills in).
 */
export function registerMessages(...catalogues: MessageCatalogue[]): void {
  let added = false;
  for (const c of catalogues) {
    for (const [key, text] of Object.entries(c.zhCN)) {
      if (MESSAGES['zh-CN'][key as MessageKey] === undefined) added = true;
      MESSAGES['zh-CN'][key as MessageKey] = text;
    }
    Object.assign(MESSAGES.en, c.en);
  }
  if (added) messagesChanged();
}

/** Re-renders every translated text: a catalogue arrived (this module's or the error texts'). */
export function messagesChanged(): void {
  version += 1;
  for (const listener of listeners) listener();
}

/** Subscribes to {@link registerMessages} (for `useSyncExternalStore`); returns the unsubscribe. */
export function subscribeMessages(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Grows by one each time a catalogue adds messages (the snapshot for `useSyncExternalStore`). */
export function messagesVersion(): number {
  return version;
}

/**
 * What to do when a key's catalogue is not loaded yet (set by `messageLoaders.ts`: load it), so a
 * screen that forgot to declare a catalogue shows its text a moment late rather than never.
 */
export function setMissingMessageHandler(handler: (key: MessageKey) => void): void {
  onMissing = handler;
}

/** Whether `key` is loaded in `lang` (tests, and screens that must not show a blank). */
export function hasMessage(lang: Lang, key: MessageKey): boolean {
  return MESSAGES[lang][key] !== undefined;
}

/** Values substituted into `{name}`-style placeholders. */
export type MessageParams = Record<string, string | number>;

/**
 * Looks up a message and fills its `{placeholders}`. Unknown placeholders are left visible so
 * a forgotten parameter shows up in review instead of silently vanishing. A key whose catalogue
 * has not arrived yet reads as empty (and asks for it); it fills in once registered.
 */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const text = MESSAGES[lang][key];
  if (text === undefined) {
    onMissing?.(key);
    return '';
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
