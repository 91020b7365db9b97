import { Migration } from '@mikro-orm/migrations';
import { analyticsShardCount } from '../analyticsShardsSql';
import { ROLLUP_SHARDS } from '../triggerSql';

/**
 * The analytics count rows' triggers write 64 shards instead of 16 (`ROLLUP_SHARDS`,
 * triggerSql.ts): the rows stay as they are, every reader sums over the shards. Down puts the
 * 16-shard triggers of migration `analytics_shards` back.
 */
export class Migration20261206143000_analytics_shards_64 extends Migration {
  override name = 'Migration20261206143000_analytics_shards_64';

  override up(): void | Promise<void> {
    for (const sql of analyticsShardCount('mysql', ROLLUP_SHARDS)) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsShardCount('mysql', true)) this.addSql(sql);
  }
}
