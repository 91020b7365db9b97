/**
 * Calendar (`calendar_1_0`, reference §7): free/busy (`querySchedule`) and events in each
 * member's `primary` calendar, addressed by unionId, with the app token. `x-client-token` on
 * createEvent is an idempotency key kept for a day: a repeated key returns the first event.
 * Busy blocks per person (meetings the product does not know about) are edited in the console
 * tab "日历 Calendar" or through `/api/sandbox/calendar/*`.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import { DEMO_BUSY } from '../../../server/kernel/db/seeds/schedulingData';
import { addDays, localDate, parseHm, weekdayOf, zonedToUtc } from '../../../shared/slots';
import type { SandboxModule } from '../context';
import { NEW_API, sendNewApiError } from '../errors';
import { bodyOf, newApi, str } from '../gateway';
import { esc } from '../html';
import type { SandboxState } from '../state';

/** A busy block someone has outside the product (UTC ISO instants). */
export interface BusyBlock {
  id: string;
  start: string;
  end: string;
  title: string;
}

/** An event in a primary calendar, as the API returns it. */
export interface SandboxEvent {
  id: string;
  summary: string;
  description: string;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  organizer: { id: string };
  createTime: string;
  updateTime: string;
}

/** Calendar state of one sandbox instance. */
export interface CalendarState {
  busy: Map<string, BusyBlock[]>;
  events: Map<string, SandboxEvent[]>;
  /** `x-client-token` -> event id and when it was first used. */
  clientTokens: Map<string, { eventId: string; at: number }>;
}

const STATES = new WeakMap<SandboxState, CalendarState>();

/** The calendar state of a sandbox (tests and the seed read and edit it). */
export function calendarState(state: SandboxState): CalendarState {
  let s = STATES.get(state);
  if (!s) {
    s = { busy: new Map(), events: new Map(), clientTokens: new Map() };
    STATES.set(state, s);
    const created = s;
    state.onReset(() => {
      created.busy.clear();
      created.events.clear();
      created.clientTokens.clear();
    });
  }
  return s;
}

const DAY_MS = 86_400_000;

function instant(v: unknown): number | undefined {
  const dt = v && typeof v === 'object' ? (v as { dateTime?: unknown }).dateTime : undefined;
  const t = typeof dt === 'string' ? Date.parse(dt) : Number.NaN;
  return Number.isFinite(t) ? t : undefined;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

function isMember(state: SandboxState, unionId: string): boolean {
  return state.org.employees.some((e) => e.unionid === unionId);
}

/** `querySchedule`, events CRUD, and the `/api/sandbox/calendar` test API. */
export const calendarModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const cal = calendarState(state);
  const base = '/v1.0/calendar/users/:unionId';

  router.post(`${base}/querySchedule`, newApi(state, 'app'), (ctx) => {
    const body = bodyOf(ctx);
    const from = Date.parse(str(body.startTime) ?? '');
    const to = Date.parse(str(body.endTime) ?? '');
    const userIds = Array.isArray(body.userIds) ? body.userIds.filter((u) => typeof u === 'string') : [];
    if (
      !Number.isFinite(from) ||
      !Number.isFinite(to) ||
      to <= from ||
      userIds.length === 0 ||
      userIds.length > 20
    )
      return sendNewApiError(ctx, NEW_API.badRequest, '参数错误：startTime/endTime/userIds');
    ctx.body = {
      scheduleInformation: userIds.map((userId) => {
        if (!isMember(state, userId)) return { userId, error: '用户不存在', scheduleItems: [] };
        const items = [
          ...(cal.busy.get(userId) ?? []).map((b) => ({
            start: Date.parse(b.start),
            end: Date.parse(b.end),
          })),
          ...(cal.events.get(userId) ?? []).map((e) => ({
            start: instant(e.start) ?? 0,
            end: instant(e.end) ?? 0,
          })),
        ]
          .filter((i) => i.start < to && i.end > from)
          .sort((a, b) => a.start - b.start)
          .map((i) => ({
            status: 'BUSY',
            start: { dateTime: iso(i.start), timeZone: 'UTC' },
            end: { dateTime: iso(i.end), timeZone: 'UTC' },
          }));
        return { userId, error: '', scheduleItems: items };
      }),
    };
  });

  const eventsPath = `${base}/calendars/:calendarId/events`;
  const owner = (ctx: Context): string | undefined => {
    const { unionId, calendarId } = ctx.params as { unionId: string; calendarId: string };
    if (calendarId !== 'primary' || !isMember(state, unionId)) {
      sendNewApiError(ctx, { status: 404, code: 'notFound', message: '日历不存在' });
      return undefined;
    }
    return unionId;
  };

  router.post(eventsPath, newApi(state, 'app'), (ctx) => {
    const unionId = owner(ctx);
    if (!unionId) return;
    const body = bodyOf(ctx);
    const start = instant(body.start);
    const end = instant(body.end);
    const summary = str(body.summary);
    if (!summary || start === undefined || end === undefined || end <= start)
      return sendNewApiError(ctx, NEW_API.badRequest, '参数错误：summary/start/end');
    const clientToken = ctx.get('x-client-token');
    const now = state.now();
    const list = cal.events.get(unionId) ?? [];
    if (clientToken) {
      const seen = cal.clientTokens.get(`${unionId}|${clientToken}`);
      const existing = seen && now - seen.at < DAY_MS ? list.find((e) => e.id === seen.eventId) : undefined;
      if (existing) {
        ctx.body = existing;
        return;
      }
    }
    const event: SandboxEvent = {
      id: randomUUID().replace(/-/g, ''),
      summary,
      description: str(body.description) ?? '',
      start: body.start as SandboxEvent['start'],
      end: body.end as SandboxEvent['end'],
      organizer: { id: unionId },
      createTime: iso(now),
      updateTime: iso(now),
    };
    list.push(event);
    cal.events.set(unionId, list);
    if (clientToken) cal.clientTokens.set(`${unionId}|${clientToken}`, { eventId: event.id, at: now });
    ctx.body = event;
  });

  router.get(eventsPath, newApi(state, 'app'), (ctx) => {
    const unionId = owner(ctx);
    if (!unionId) return;
    const min = Date.parse(String(ctx.query.timeMin ?? ''));
    const max = Date.parse(String(ctx.query.timeMax ?? ''));
    ctx.body = {
      events: (cal.events.get(unionId) ?? []).filter(
        (e) =>
          (!Number.isFinite(max) || (instant(e.start) ?? 0) < max) &&
          (!Number.isFinite(min) || (instant(e.end) ?? 0) > min),
      ),
    };
  });

  const one = (ctx: Context): { unionId: string; event: SandboxEvent } | undefined => {
    const unionId = owner(ctx);
    if (!unionId) return undefined;
    const event = (cal.events.get(unionId) ?? []).find((e) => e.id === ctx.params.eventId);
    if (!event) {
      sendNewApiError(ctx, { status: 404, code: 'eventNotFound', message: '日程不存在' });
      return undefined;
    }
    return { unionId, event };
  };

  router.get(`${eventsPath}/:eventId`, newApi(state, 'app'), (ctx) => {
    const found = one(ctx);
    if (found) ctx.body = found.event;
  });

  router.put(`${eventsPath}/:eventId`, newApi(state, 'app'), (ctx) => {
    const found = one(ctx);
    if (!found) return;
    const body = bodyOf(ctx);
    if (body.id !== found.event.id) return sendNewApiError(ctx, NEW_API.badRequest, '参数错误：id');
    const start = body.start === undefined ? instant(found.event.start) : instant(body.start);
    const end = body.end === undefined ? instant(found.event.end) : instant(body.end);
    if (start === undefined || end === undefined || end <= start)
      return sendNewApiError(ctx, NEW_API.badRequest, '参数错误：start/end');
    Object.assign(found.event, {
      ...(str(body.summary) ? { summary: str(body.summary) } : {}),
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      ...(body.start ? { start: body.start } : {}),
      ...(body.end ? { end: body.end } : {}),
      updateTime: iso(state.now()),
    });
    ctx.body = found.event;
  });

  router.delete(`${eventsPath}/:eventId`, newApi(state, 'app'), (ctx) => {
    const found = one(ctx);
    if (!found) return;
    cal.events.set(
      found.unionId,
      (cal.events.get(found.unionId) ?? []).filter((e) => e.id !== found.event.id),
    );
    ctx.body = {};
  });

  // Test/console API.
  router.get('/api/sandbox/calendar/:unionId', (ctx) => {
    const { unionId } = ctx.params;
    ctx.body = { busy: cal.busy.get(unionId) ?? [], events: cal.events.get(unionId) ?? [] };
  });
  router.post('/api/sandbox/calendar/:unionId/busy', (ctx) => {
    const { unionId } = ctx.params;
    const body = bodyOf(ctx);
    const start = Date.parse(str(body.start) ?? '');
    const end = Date.parse(str(body.end) ?? '');
    if (!isMember(state, unionId)) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: `no member ${unionId}` } };
      return;
    }
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
      ctx.status = 400;
      ctx.body = {
        error: { code: 'bad_interval', message: 'start/end must be ISO instants, end after start' },
      };
      return;
    }
    const block: BusyBlock = {
      id: randomUUID(),
      start: iso(start),
      end: iso(end),
      title: str(body.title) ?? '忙碌',
    };
    cal.busy.set(unionId, [...(cal.busy.get(unionId) ?? []), block]);
    ctx.status = 201;
    ctx.body = { block };
  });
  router.delete('/api/sandbox/calendar/:unionId/busy/:id', (ctx) => {
    const { unionId, id } = ctx.params;
    cal.busy.set(
      unionId,
      (cal.busy.get(unionId) ?? []).filter((b) => b.id !== id),
    );
    ctx.body = { ok: true };
  });

  consoleTabs.push({
    id: 'calendar',
    label: '日历 Calendar',
    render() {
      const rows = state.org.employees
        .map((e) => {
          const busy = (cal.busy.get(e.unionid) ?? [])
            .map(
              (b) =>
                `<li>${esc(fmt(b.start))} – ${esc(fmt(b.end))} ${esc(b.title)} <button class="btn ghost" data-cal-del="${esc(e.unionid)}|${esc(b.id)}">删除</button></li>`,
            )
            .join('');
          const events = (cal.events.get(e.unionid) ?? [])
            .map(
              (ev) =>
                `<li data-testid="cal-event-${esc(e.userid)}">${esc(fmt(ev.start.dateTime))} – ${esc(fmt(ev.end.dateTime))} <b>${esc(ev.summary)}</b></li>`,
            )
            .join('');
          return `<tr><td><b>${esc(e.name)}</b><br><span class="muted">${esc(e.userid)}</span></td>
<td><ul>${busy || '<li class="muted">—</li>'}</ul>
<form data-cal-add="${esc(e.unionid)}"><input type="datetime-local" name="start" required> – <input type="datetime-local" name="end" required>
<input name="title" placeholder="会议"><button class="btn">添加忙碌 (add busy)</button></form></td>
<td><ul>${events || '<li class="muted">—</li>'}</ul></td></tr>`;
        })
        .join('');
      return `<div class="card"><h2>日历 <span class="hint">Calendars: busy blocks and events (times in Asia/Shanghai)</span></h2>
<table><thead><tr><th>成员</th><th>忙碌时段 (busy)</th><th>日程 (events)</th></tr></thead><tbody>${rows}</tbody></table></div>
<script>
for (const f of document.querySelectorAll('[data-cal-add]')) f.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const d = new FormData(f);
  const toIso = (v) => new Date(v + ':00+08:00').toISOString();
  await fetch('/api/sandbox/calendar/' + encodeURIComponent(f.dataset.calAdd) + '/busy', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ start: toIso(d.get('start')), end: toIso(d.get('end')), title: d.get('title') || undefined }) });
  location.hash = 'calendar'; location.reload();
});
for (const b of document.querySelectorAll('[data-cal-del]')) b.addEventListener('click', async () => {
  const [u, id] = b.dataset.calDel.split('|');
  await fetch('/api/sandbox/calendar/' + encodeURIComponent(u) + '/busy/' + encodeURIComponent(id), { method: 'DELETE' });
  location.hash = 'calendar'; location.reload();
});
</script>`;
    },
  });
};

function fmt(isoString: string): string {
  return new Date(Date.parse(isoString) + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ');
}

/**
 * Puts the demo org's recurring meetings (`DEMO_BUSY`, Asia/Shanghai wall times) into the
 * calendars for the next `days` days, so the demo's slot lists visibly skip them. Called by the
 * demo and `npm run sandbox`, not by tests (they set their own busy time).
 */
export function seedDemoBusy(state: SandboxState, now = new Date(), days = 15): number {
  const cal = calendarState(state);
  const tz = 'Asia/Shanghai';
  let added = 0;
  const today = localDate(now.getTime(), tz);
  for (let i = 0; i < days; i++) {
    const date = addDays(today, i);
    for (const b of DEMO_BUSY) {
      if (weekdayOf(date) !== b.weekday) continue;
      const unionId = state.org.employees.find((e) => e.userid === b.userid)?.unionid;
      if (!unionId) continue;
      const start = iso(zonedToUtc(date, parseHm(b.start), tz));
      const end = iso(zonedToUtc(date, parseHm(b.end), tz));
      const list = cal.busy.get(unionId) ?? [];
      if (list.some((x) => x.start === start && x.end === end)) continue;
      list.push({ id: randomUUID(), start, end, title: b.title });
      cal.busy.set(unionId, list);
      added++;
    }
  }
  return added;
}
