/**
 * A domain event: something that happened to an aggregate (a booking, an interview, an
 * application). Features document their event types next to the command that emits them,
 * e.g. `booking.created`, `booking.rescheduled`, `interview.submitted`, `report.ready`,
 * `approval.decided`.
 */
export interface DomainEvent {
  /** Dotted type, `<aggregate kind>.<what happened>`. */
  type: string;
  /**
   * Unique id of this occurrence, stable across retries of the same command (e.g.
   * `booking:12:rescheduled:3`). Consumers' outbox rows derive their idempotency keys from it.
   */
  key: string;
  /** The aggregate, e.g. `booking:12`. */
  aggregate: string;
  /** Who caused it (null: the system). */
  actor: { kind: 'employee' | 'candidate' | 'system'; id: number | null } | null;
  /** Facts consumers need; ids rather than copies of personal data where possible. */
  data: Record<string, unknown>;
  /** When it happened (ISO). Filled by `emit` when absent. */
  at?: string;
}
