import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * One row per DingTalk organisation the deployment serves (today: exactly one).
 * Holds the defaults every feature reads (time zone, locale, retention) so they are
 * configured in the product, not scattered across environment variables.
 */
export const OrgSettings = defineEntity({
  name: 'OrgSettings',
  tableName: 'org_settings',
  properties: {
    id: p.integer().primary(),
    corpId: p.string().length(64).unique(),
    name: p.string().length(200),
    timezone: p.string().length(64).default('Asia/Shanghai'),
    locale: p.string().length(8).default('zh-CN'),
    /** Days after the final decision before videos and transcripts are deleted (TRUST.md). */
    retentionDays: p.integer().default(180),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Organisation settings row. */
export type IOrgSettings = InferEntity<typeof OrgSettings>;
