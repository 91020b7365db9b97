/** Texts of the inbox and delivery-failure screens (zh-CN source, English). */
export const zhCN = {
  'nt.inbox.title': '消息',
  'nt.inbox.open': '查看消息',
  'nt.inbox.unread': '{n} 条未读',
  'nt.inbox.empty': '暂无消息',
  'nt.inbox.markRead': '标为已读',
  'nt.failures.title': '消息发送失败',
  'nt.failures.open': '查看发送失败的消息',
  'nt.failures.empty': '没有发送失败的消息',
  'nt.failures.attempts': '已尝试 {n} 次',
  'nt.failures.retry': '重新发送',
  'nt.failures.retried': '已重新排队发送',
  'nt.loadFailed': '加载失败，请稍后重试',
  'section.hr.delivery': '消息送达',
  'section.hr.delivery.desc': '发送给候选人和同事的提醒与通知中，多次重试仍失败的消息。',
} as const;

/** English texts. */
export const en: Record<keyof typeof zhCN, string> = {
  'nt.inbox.title': 'Messages',
  'nt.inbox.open': 'Open messages',
  'nt.inbox.unread': '{n} unread',
  'nt.inbox.empty': 'No messages yet',
  'nt.inbox.markRead': 'Mark as read',
  'nt.failures.title': 'Undelivered messages',
  'nt.failures.open': 'View undelivered messages',
  'nt.failures.empty': 'No undelivered messages',
  'nt.failures.attempts': '{n} attempts',
  'nt.failures.retry': 'Send again',
  'nt.failures.retried': 'Queued to send again',
  'nt.loadFailed': 'Could not load; please try again later',
  'section.hr.delivery': 'Message delivery',
  'section.hr.delivery.desc':
    'Reminders and notifications that could not be delivered after several attempts.',
};
