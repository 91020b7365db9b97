/**
 * The candidate home's next-step card texts (zh-CN source and English), part of the home's
 * catalogue (`messages.ts` spreads them in). A module of their own because the start-up entry
 * carries them too: a returning candidate's card is painted from the entry's early reads before
 * the app's code has run (`earlyHome.ts`; issue 18: LCP under 1.5 s), in the same words.
 */
export const nextStepZhCN = {
  'hm.next.none.title': '暂时没有待完成的面试',
  'hm.next.none.body':
    '公司邀请你面试时，你会收到钉钉消息或短信，点其中的链接即可在这里开始。收到后请在截止时间前完成。',
  'hm.next.book.title': '第一步：预约面试时间',
  'hm.next.book.body': '这个岗位的 AI 面试需要在预约的时间段内进行。选好时间后，我们会在开始前提醒你。',
  'hm.next.book.go': '预约时间',
  'hm.next.start.title': '现在就可以开始 AI 面试',
  'hm.next.start.body': '共 {n} 道题，约 {m} 分钟。找一个安静的地方，准备好后随时开始；截止前都可以完成。',
  'hm.next.start.go': '开始面试',
  'hm.next.remind': '现在不方便？设定提醒时间',
  'hm.next.wait.title': '已预约，到时间再来',
  'hm.next.wait.body': '你的面试时间是 {when}。开始前我们会通过钉钉或短信提醒你；座位空出时也可以提前开始。',
  'hm.next.wait.bodyNoTime': '你的面试时间段还没到。开始前我们会通过钉钉或短信提醒你。',
  'hm.next.wait.go': '面试开放后开始',
  'hm.next.continue.title': '继续完成你的面试',
  'hm.next.continue.body': '已完成 {k}/{n} 题。从下一题继续，已提交的回答都已保存。',
  'hm.next.continue.go': '继续作答',
  'hm.next.results.title': '已提交，等待结果',
  'hm.next.results.body':
    '感谢参加！HR 评估后会通过钉钉或短信告诉你下一步，结果也会显示在这里；预计时间见下方的面试进度。',
  'hm.next.feedback.title': '面试结果已出',
  'hm.next.feedback.body': '你可以查看每项能力的反馈和理由，有疑问可以申请解释或人工复核。',
  'hm.next.feedback.go': '查看反馈',
  'hm.next.closed.title': '这场面试已关闭',
  'hm.next.closed.help': '如需重新安排，请联系邀请你的 HR。',
  'hm.deadline': '截止时间：{when}',
  'hm.deadline.left': '（还剩 {d} 天）',
  'hm.deadline.today': '（今天截止）',
} as const;

/** English texts of the card, with exactly the Chinese keys. */
export const nextStepEn: Record<keyof typeof nextStepZhCN, string> = {
  'hm.next.none.title': 'No interview to take right now',
  'hm.next.none.body':
    'When a company invites you, you will get a DingTalk message or a text message; its link opens the interview here. Finish it before the deadline it gives.',
  'hm.next.book.title': 'First: book a time',
  'hm.next.book.body':
    'This AI interview is taken in a booked time window. Pick a time and we will remind you before it starts.',
  'hm.next.book.go': 'Book a time',
  'hm.next.start.title': 'You can start your AI interview now',
  'hm.next.start.body':
    '{n} questions, about {m} minutes. Find a quiet place and start whenever you are ready, any time before the deadline.',
  'hm.next.start.go': 'Start the interview',
  'hm.next.remind': 'Not a good time? Set a reminder',
  'hm.next.wait.title': 'Booked: come back at your time',
  'hm.next.wait.body':
    'Your interview is at {when}. We will remind you by DingTalk or text message; you may also start early when a seat is free.',
  'hm.next.wait.bodyNoTime': 'Your interview window has not opened yet. We will remind you before it starts.',
  'hm.next.wait.go': 'Starts when your window opens',
  'hm.next.continue.title': 'Continue your interview',
  'hm.next.continue.body':
    '{k} of {n} questions done. You continue with the next one; your answers are saved.',
  'hm.next.continue.go': 'Continue',
  'hm.next.results.title': 'Submitted: waiting for results',
  'hm.next.results.body':
    'Thank you! After HR has reviewed it you hear the next step by DingTalk or text message, and here; when to expect it is under Progress below.',
  'hm.next.feedback.title': 'Your results are ready',
  'hm.next.feedback.body':
    'Read the feedback for each competency with its reasons; you may ask for an explanation or a human review.',
  'hm.next.feedback.go': 'Read feedback',
  'hm.next.closed.title': 'This interview is closed',
  'hm.next.closed.help': 'To arrange a new time, contact the HR person who invited you.',
  'hm.deadline': 'Deadline: {when}',
  'hm.deadline.left': ' ({d} days left)',
  'hm.deadline.today': ' (due today)',
};
