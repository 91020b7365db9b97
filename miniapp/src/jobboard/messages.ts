/**
 * Texts of the public job page. Kept in the page's own chunk rather than the app's table
 * (`i18n.ts`, loaded by everyone): only visitors of a shared job link need them, and the
 * candidate's first load has a byte budget. Same rule as the table: Chinese defines the keys,
 * English must have exactly the same.
 */
export const zhCN = {
  'pj.loading': '正在加载职位…',
  'pj.notFound': '没有找到这个职位，链接可能有误。',
  'pj.loadFailed': '职位加载失败',
  'pj.retry': '重试',
  'pj.referred': '{name} 向你推荐了这个职位',
  'pj.state.paused': '该职位暂停招聘，暂不接受申请。',
  'pj.state.closed': '该职位已停止招聘，不再接受申请。',
  'pj.description': '职位描述',
  'pj.requirements': '任职要求',
  'pj.how': 'AI 面试怎么进行',
  'pj.how.questions': '共 {n} 道题，约 {m} 分钟；每题有思考时间，再录制视频回答。',
  'pj.how.practice': '正式开始前有一道练习题，不计分。',
  'pj.how.anytime': '收到面试邀请后，{d} 天内随时作答，手机上即可完成，不必预约。',
  'pj.how.booked': '收到面试邀请后，在 {d} 天内预约一个时间，按预约作答。',
  'pj.how.ai': 'AI 只评估回答的文字内容并给出建议，结果由招聘人员决定；不评估外貌、口音和情绪。',
  'pj.how.none': '面试安排由 HR 在邀请中告知。',
  'pj.privacy': '隐私说明',
  'pj.apply': '申请这个职位',
  'pj.required': '必填',
  'pj.name': '姓名',
  'pj.mobile': '手机号',
  'pj.email': '邮箱',
  'pj.contactNote': '手机号和邮箱至少填写一项，用于接收面试邀请。',
  'pj.consent': '我已阅读上方的隐私说明，同意公司为本职位的招聘处理我的姓名和联系方式。',
  'pj.submit': '提交申请',
  'pj.hint.name': '请填写姓名',
  'pj.hint.contact': '请填写手机号或邮箱',
  'pj.hint.mobile': '手机号格式不正确',
  'pj.hint.email': '邮箱格式不正确',
  'pj.hint.consent': '请阅读并勾选隐私说明',
  'pj.done.title': '已收到你的申请',
  'pj.done.body':
    'HR 会查看你的申请。如果合适，你会通过短信、邮件或钉钉收到 AI 面试邀请链接；收到后 {d} 天内完成面试即可。',
  'pj.lang': 'English',
};

export const en: Record<keyof typeof zhCN, string> = {
  'pj.loading': 'Loading the job…',
  'pj.notFound': 'This job was not found; the link may be wrong.',
  'pj.loadFailed': 'The job could not be loaded',
  'pj.retry': 'Retry',
  'pj.referred': '{name} recommended this job to you',
  'pj.state.paused': 'Hiring for this job is paused: it takes no applications for now.',
  'pj.state.closed': 'This job is closed and takes no more applications.',
  'pj.description': 'About the job',
  'pj.requirements': 'Requirements',
  'pj.how': 'How the AI interview works',
  'pj.how.questions':
    '{n} questions, about {m} minutes; each has time to think, then you record a video answer.',
  'pj.how.practice': 'A practice question comes first and is not scored.',
  'pj.how.anytime': 'Once invited, answer at any time within {d} days, on your phone; no appointment needed.',
  'pj.how.booked': 'Once invited, book a time within {d} days and answer at that time.',
  'pj.how.ai':
    'The AI evaluates only the words of your answers and makes a suggestion; people decide. Appearance, accent and emotions are never evaluated.',
  'pj.how.none': 'HR will explain the interview in the invitation.',
  'pj.privacy': 'Privacy notice',
  'pj.apply': 'Apply for this job',
  'pj.required': 'required',
  'pj.name': 'Name',
  'pj.mobile': 'Mobile',
  'pj.email': 'E-mail',
  'pj.contactNote':
    'Give a mobile number or an e-mail address (or both) to receive the interview invitation.',
  'pj.consent':
    'I have read the privacy notice above and agree that the company processes my name and contact details to hire for this job.',
  'pj.submit': 'Send application',
  'pj.hint.name': 'Enter your name',
  'pj.hint.contact': 'Enter a mobile number or an e-mail address',
  'pj.hint.mobile': 'The mobile number is not valid',
  'pj.hint.email': 'The e-mail address is not valid',
  'pj.hint.consent': 'Read and tick the privacy notice',
  'pj.done.title': 'Application received',
  'pj.done.body':
    'HR will read your application. If it fits, you will get an AI interview invitation by SMS, e-mail or DingTalk; take the interview within {d} days of receiving it.',
  'pj.lang': '中文',
};

/** A key of the page's texts. */
export type PjKey = keyof typeof zhCN;

/** The text of `key` in `lang` with `{name}` placeholders filled. */
export function pj(lang: string, key: PjKey, params: Record<string, string | number> = {}): string {
  const text = (lang === 'en' ? en : zhCN)[key];
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}
