/** Texts of follow-up questions (追问): the candidate's screen and the report's section. */
export const zhCN = {
  'fu.title': '追问',
  'fu.note': '根据你的回答，面试官还想进一步了解以下内容。请用文字作答，每个追问回答一次。',
  'fu.empty': '目前没有需要回答的追问',
  'fu.question': '第 {n} 题：{q}',
  'fu.placeholder': '请写下你的回答',
  'fu.submit': '提交回答',
  'fu.sent': '已提交',
  'fu.answered': '已回答',
  'fu.yourAnswer': '你的回答',
  'fu.report.title': '追问与回答',
  'fu.report.answer': '回答',
  'fu.report.followUp': '追问',
  'fu.report.followUpAnswer': '追问回答',
  'fu.report.pending': '候选人尚未回答',
  'fu.report.withdrawn': '已取消',
  'fu.report.score': '追问回答得分 {score}',
  'fu.report.why': '追问原因：{reason}',
  'fu.report.llm': '由大模型润色',
};

/** English texts. */
export const en: Record<keyof typeof zhCN, string> = {
  'fu.title': 'Follow-up questions',
  'fu.note':
    'Based on your answers, the interviewers would like to know a little more. Please type your answer; each follow-up is answered once.',
  'fu.empty': 'No follow-up questions to answer right now',
  'fu.question': 'Question {n}: {q}',
  'fu.placeholder': 'Type your answer',
  'fu.submit': 'Submit answer',
  'fu.sent': 'Submitted',
  'fu.answered': 'Answered',
  'fu.yourAnswer': 'Your answer',
  'fu.report.title': 'Follow-up questions and answers',
  'fu.report.answer': 'Answer',
  'fu.report.followUp': 'Follow-up',
  'fu.report.followUpAnswer': 'Follow-up answer',
  'fu.report.pending': 'Not answered yet',
  'fu.report.withdrawn': 'Withdrawn',
  'fu.report.score': 'Follow-up answer score {score}',
  'fu.report.why': 'Why asked: {reason}',
  'fu.report.llm': 'Phrased by the LLM',
};
