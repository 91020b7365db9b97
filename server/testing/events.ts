/** Domain events published from tests, as the features that own them would emit them. */
import type { EventMap, EventType } from '../../shared/events';
import type { Orm } from '../kernel/db/orm';
import { emit } from '../kernel/events/emit';

/**
 * Emits an application's event in its own transaction (its in-transaction reactions run and
 * commit with it, its consumers get it from the outbox), keyed to the application's aggregate.
 */
export async function publishApplicationEvent<K extends EventType>(
  orm: Pick<Orm, 'em'>,
  type: K,
  key: string,
  data: EventMap[K],
): Promise<void> {
  await orm.em.fork().transactional(async (em) =>
    emit(em, {
      type,
      key,
      aggregate: `application:${(data as { applicationId: number }).applicationId}`,
      actor: null,
      data,
    } as never),
  );
}
