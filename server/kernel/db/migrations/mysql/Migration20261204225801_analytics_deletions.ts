import { Migration } from '@mikro-orm/migrations';
import { analyticsDeletionDown, analyticsDeletionUp } from '../analyticsDeletionSql';

/**
 * Deleting an application (or one of its stage events) takes its stays and time to hire out of
 * the duration rollups, and the rollups are rebuilt once from the source tables
 * (analyticsDeletionSql.ts). No schema change: triggers only.
 */
export class Migration20261204225801_analytics_deletions extends Migration {
  override name = 'Migration20261204225801_analytics_deletions';

  override up(): void | Promise<void> {
    for (const sql of analyticsDeletionUp('mysql')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsDeletionDown()) this.addSql(sql);
  }
}
