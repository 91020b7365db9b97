import { Migration } from '@mikro-orm/migrations';
import { analyticsTriggerGuards } from '../analyticsGuardsSql';

/**
 * Every analytics trigger with a condition runs its statements only for rows that meet it
 * (analyticsGuardsSql.ts says why): the same triggers, dropped and created again with the
 * condition as their guard. Down creates them again without it.
 */
export class Migration20261206170000_analytics_trigger_guards extends Migration {
  override name = 'Migration20261206170000_analytics_trigger_guards';

  override up(): void | Promise<void> {
    for (const sql of analyticsTriggerGuards('mysql', true)) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    for (const sql of analyticsTriggerGuards('mysql', false)) this.addSql(sql);
  }
}
