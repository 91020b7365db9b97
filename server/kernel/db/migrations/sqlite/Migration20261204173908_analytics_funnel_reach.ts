import { Migration } from '@mikro-orm/migrations';

export class Migration20261204173908_analytics_funnel_reach extends Migration {
  override name = 'Migration20261204173908_analytics_funnel_reach';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`applications\` add column \`funnel_reach\` integer not null default 0;`);
    // Backfill: the furthest funnel step of each application so far, from its current stage and
    // its stage history (the ranks as they were defined when this migration was written).
    this.addSql(
      `update applications set funnel_reach = case when (case stage when 'submitted' then 1 when 'scored' then 1 when 'in_review' then 2 when 'second_round' then 3 when 'second_round_booked' then 3 when 'second_round_done' then 4 when 'offer_approval' then 5 when 'offer_sent' then 6 when 'accepted' then 7 when 'onboarding' then 7 when 'hired' then 8 else 0 end) > coalesce((select max((case e.to_stage when 'submitted' then 1 when 'scored' then 1 when 'in_review' then 2 when 'second_round' then 3 when 'second_round_booked' then 3 when 'second_round_done' then 4 when 'offer_approval' then 5 when 'offer_sent' then 6 when 'accepted' then 7 when 'onboarding' then 7 when 'hired' then 8 else 0 end)) from application_stage_events e where e.application_id = applications.id), 0) then (case stage when 'submitted' then 1 when 'scored' then 1 when 'in_review' then 2 when 'second_round' then 3 when 'second_round_booked' then 3 when 'second_round_done' then 4 when 'offer_approval' then 5 when 'offer_sent' then 6 when 'accepted' then 7 when 'onboarding' then 7 when 'hired' then 8 else 0 end) else coalesce((select max((case e.to_stage when 'submitted' then 1 when 'scored' then 1 when 'in_review' then 2 when 'second_round' then 3 when 'second_round_booked' then 3 when 'second_round_done' then 4 when 'offer_approval' then 5 when 'offer_sent' then 6 when 'accepted' then 7 when 'onboarding' then 7 when 'hired' then 8 else 0 end)) from application_stage_events e where e.application_id = applications.id), 0) end;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`applications\` drop column \`funnel_reach\`;`);
  }
}
