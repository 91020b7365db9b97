import type * as CalendarClientModule from '@alicloud/dingtalk/dist/calendar_1_0/client';
import type CalendarClient from '@alicloud/dingtalk/dist/calendar_1_0/client';
import type { Interval } from '../../../../shared/slots';
import type { DingTalkCore } from './client';
import { classifySdkError, DingTalkError } from './errors';
import { lazySdk } from './sdk';

const $cal = lazySdk<typeof CalendarClientModule>('@alicloud/dingtalk/dist/calendar_1_0/client');

/** An event to put in an interviewer's calendar. Instants are UTC; `timeZone` is the display zone. */
export interface CalendarEventInput {
  summary: string;
  description: string;
  start: Date;
  end: Date;
  timeZone: string;
}

/** Formats an instant as DingTalk wants it in event bodies: local ISO with offset. */
function zoned(at: Date, timeZone: string): { dateTime: string; timeZone: string } {
  // DingTalk accepts any ISO-8601 instant with an offset; UTC `Z` is unambiguous.
  return { dateTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), timeZone };
}

const BUSY_TTL_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * DingTalk calendar (`calendar_1_0`, dingtalk-reference.md §7) with the app token. Users are
 * addressed by unionId and their `primary` calendar. Free/busy answers are cached for a minute
 * per user (`refresh` bypasses the cache): slot listings hit it on every screen. The window
 * asked for is widened to whole hours plus an hour each side, so the next minute's listings
 * (whose window moved with the clock) are still covered by the cached answer.
 */
export class DingTalkCalendar {
  #lazyClient: CalendarClient | null = null;

  /** Made on first call: a process that never calls this API never loads its SDK module. */
  get #client(): CalendarClient {
    if (!this.#lazyClient) this.#lazyClient = new $cal.default(this.core.sdkConfig());
    return this.#lazyClient;
  }
  readonly #busy = new Map<string, { at: number; from: number; to: number; intervals: Interval[] }>();

  constructor(
    private readonly core: DingTalkCore,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Busy intervals of each user (unionId) in `[from, to)`. Users whose calendar cannot be read
   * are reported in `errors` (the caller decides: listing treats them as unavailable).
   */
  async busy(
    unionIds: string[],
    from: Date,
    to: Date,
    opts: { refresh?: boolean } = {},
  ): Promise<{ busy: Map<string, Interval[]>; errors: Map<string, string> }> {
    const busy = new Map<string, Interval[]>();
    const errors = new Map<string, string>();
    const now = this.clock();
    const missing: string[] = [];
    for (const u of unionIds) {
      const hit = this.#busy.get(u);
      const covers = hit && hit.from <= from.getTime() && hit.to >= to.getTime();
      if (hit && covers && !opts.refresh && now - hit.at < BUSY_TTL_MS) busy.set(u, hit.intervals);
      else missing.push(u);
    }
    const askFrom = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
    const askTo = Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
    // querySchedule takes up to 20 users per call.
    for (let i = 0; i < missing.length; i += 20) {
      const batch = missing.slice(i, i + 20);
      const res = await this.core.withAppToken('calendar.querySchedule', async (token) =>
        this.#client.getScheduleWithOptions(
          batch[0],
          new $cal.GetScheduleRequest({
            userIds: batch,
            startTime: new Date(askFrom).toISOString(),
            endTime: new Date(askTo).toISOString(),
          }),
          new $cal.GetScheduleHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
      for (const info of res.body?.scheduleInformation ?? []) {
        if (!info.userId) continue;
        if (info.error) {
          errors.set(info.userId, info.error);
          continue;
        }
        const intervals: Interval[] = [];
        for (const item of info.scheduleItems ?? []) {
          if (item.status && item.status.toUpperCase() === 'FREE') continue;
          const start = item.start?.dateTime ? Date.parse(item.start.dateTime) : Number.NaN;
          const end = item.end?.dateTime ? Date.parse(item.end.dateTime) : Number.NaN;
          if (Number.isFinite(start) && Number.isFinite(end) && end > start) intervals.push({ start, end });
        }
        this.#busy.set(info.userId, { at: now, from: askFrom, to: askTo, intervals });
        busy.set(info.userId, intervals);
      }
    }
    return { busy, errors };
  }

  /** Forgets cached free/busy of a user (after we changed their calendar). */
  forget(unionId: string): void {
    this.#busy.delete(unionId);
  }

  /**
   * Creates an event in the organiser's primary calendar. `clientToken` is DingTalk's
   * idempotency key (`x-client-token`, kept for a day): a retried call returns the first event.
   */
  async createEvent(
    organizerUnionId: string,
    input: CalendarEventInput,
    clientToken: string,
  ): Promise<string> {
    const res = await this.core.withAppToken('calendar.createEvent', async (token) =>
      this.#client.createEventWithOptions(
        organizerUnionId,
        'primary',
        new $cal.CreateEventRequest({
          summary: input.summary,
          description: input.description,
          start: new $cal.CreateEventRequestStart(zoned(input.start, input.timeZone)),
          end: new $cal.CreateEventRequestEnd(zoned(input.end, input.timeZone)),
          isAllDay: false,
        }),
        new $cal.CreateEventHeaders({ xAcsDingtalkAccessToken: token, xClientToken: clientToken }),
        this.core.runtime(),
      ),
    );
    const id = res.body?.id;
    if (!id) throw new DingTalkError('other', 'no_id', 'createEvent returned no event id');
    this.forget(organizerUnionId);
    return id;
  }

  /** Moves/renames an event (PUT with the event id in the body). */
  async patchEvent(organizerUnionId: string, eventId: string, input: CalendarEventInput): Promise<void> {
    await this.core.withAppToken('calendar.patchEvent', async (token) =>
      this.#client.patchEventWithOptions(
        organizerUnionId,
        'primary',
        eventId,
        new $cal.PatchEventRequest({
          id: eventId,
          summary: input.summary,
          description: input.description,
          start: new $cal.PatchEventRequestStart(zoned(input.start, input.timeZone)),
          end: new $cal.PatchEventRequestEnd(zoned(input.end, input.timeZone)),
        }),
        new $cal.PatchEventHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    this.forget(organizerUnionId);
  }

  /** Deletes an event; an event that is already gone counts as deleted. */
  async deleteEvent(organizerUnionId: string, eventId: string): Promise<void> {
    try {
      await this.core.withAppToken('calendar.deleteEvent', async (token) =>
        this.#client.deleteEventWithOptions(
          organizerUnionId,
          'primary',
          eventId,
          new $cal.DeleteEventRequest({ pushNotification: true }),
          new $cal.DeleteEventHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
    } catch (raw) {
      const err = raw instanceof DingTalkError ? raw : classifySdkError(raw);
      if (err.httpStatus !== 404) throw err;
    }
    this.forget(organizerUnionId);
  }
}
