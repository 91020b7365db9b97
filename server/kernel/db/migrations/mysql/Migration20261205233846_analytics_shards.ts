import { Migration } from '@mikro-orm/migrations';
import { analyticsShardsDown, analyticsShardsUp } from '../analyticsShardsSql';

/**
 * The analytics count rows split into shards (analyticsShardsSql.ts): a `shard` column last in the
 * key of the application, duration and reminder counts, existing rows shard 0, the triggers that
 * write them recreated to add to the shard of their application (or booking).
 */
export class Migration20261205233846_analytics_shards extends Migration {
  override name = 'Migration20261205233846_analytics_shards';

  override up(): void | Promise<void> {
    for (const sql of analyticsShardsUp('mysql')) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsShardsDown('mysql')) this.addSql(sql);
  }
}
