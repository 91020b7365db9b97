/** Texts of the homes' summaries (zh-CN source, English). */
export const zhCN = {
  'hs.loadFailed': '首页数据加载失败',
  'hs.hr.newCandidates': '今日新增候选人',
  'hs.hr.interviewsToday': '今日面试',
  'hs.hr.reportsToReview': '待审阅报告',
  'hs.hr.queueDue': '今日到期待办',
  'hs.hr.approvalsPending': '审批中',
  'hs.hr.allClear':
    '今天暂时没有需要处理的事项。新的候选人、面试、报告、待办和审批出现时，数字会在这里更新。',
  'hs.mgr.noJobs': '本部门还没有在招职位。HR 为本部门创建职位并邀请候选人后，各阶段人数会显示在这里。',
  'hs.mgr.approvals': '等待审批',
  'hs.mgr.noApprovals':
    '没有进行中的审批。HR 为本部门候选人发起进入下一轮或录用审批后，会出现在这里，并在钉钉中通知你。',
  'hs.mgr.stage': '{stage} {n}',
  'hs.int.today': '今天',
  'hs.int.upcoming': '未来 7 天',
  'hs.int.noToday': '今天没有安排给你的面试。候选人预约了你的时段后，会在这里和钉钉日程中出现。',
  'hs.int.noUpcoming': '未来 7 天暂无面试安排。',
  'hs.int.toRate': '待评分报告',
  'hs.int.noToRate': '没有等你评分的报告。分配给你的候选人完成 AI 面试、报告生成后，会出现在这里。',
  'hs.kind.ai_interview': 'AI 面试',
  'hs.kind.second_round': '复试',
  'hs.approval.second_round': '进入复试',
  'hs.approval.offer': '录用',
} as const;

/** English texts. */
export const en: Record<keyof typeof zhCN, string> = {
  'hs.loadFailed': 'Could not load your home',
  'hs.hr.newCandidates': 'New candidates today',
  'hs.hr.interviewsToday': 'Interviews today',
  'hs.hr.reportsToReview': 'Reports to review',
  'hs.hr.queueDue': 'To-dos due today',
  'hs.hr.approvalsPending': 'Approvals pending',
  'hs.hr.allClear':
    'Nothing needs you right now. New candidates, interviews, reports, to-dos and approvals update these numbers as they come.',
  'hs.mgr.noJobs':
    'No open jobs in your department yet. Once HR opens one and invites candidates, the count per stage shows here.',
  'hs.mgr.approvals': 'Waiting for approval',
  'hs.mgr.noApprovals':
    'No approvals in progress. When HR asks to advance or hire a candidate of your department, it appears here and in DingTalk.',
  'hs.mgr.stage': '{stage} {n}',
  'hs.int.today': 'Today',
  'hs.int.upcoming': 'Next 7 days',
  'hs.int.noToday':
    'No interviews for you today. When a candidate books one of your slots it appears here and in your DingTalk calendar.',
  'hs.int.noUpcoming': 'No interviews in the next 7 days.',
  'hs.int.toRate': 'Reports to rate',
  'hs.int.noToRate':
    'No reports waiting for your rating. When a candidate assigned to you finishes the AI interview and the report is ready, it appears here.',
  'hs.kind.ai_interview': 'AI interview',
  'hs.kind.second_round': 'Second round',
  'hs.approval.second_round': 'Second round',
  'hs.approval.offer': 'Offer',
};
