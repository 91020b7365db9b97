/**
 * The dashboards' tables as .xlsx workbooks (exceljs): one sheet, a header row in the reader's
 * language, the exact figures (rates as fractions formatted as percentages, durations in hours).
 * Personal columns of the candidate list are added only when the caller may see them.
 */
import type {
  AiValidityResponse,
  AnalyticsTable,
  DurationStats,
  FunnelResponse,
  OutcomeValidityResponse,
  RatersResponse,
  RemindersResponse,
  SourcesResponse,
  TimesResponse,
} from '../../../shared/api/analytics';
import type { CandidateExportRow } from './queries';

type Lang = 'zh' | 'en';

const H = {
  job: { zh: '岗位', en: 'Job' },
  stage: { zh: '阶段', en: 'Stage' },
  reached: { zh: '到达人数', en: 'Reached' },
  conversion: { zh: '转化率', en: 'Conversion' },
  current: { zh: '当前人数', en: 'Now in stage' },
  kind: { zh: '类别', en: 'Kind' },
  n: { zh: '人数', en: 'n' },
  medianH: { zh: '中位数（小时）', en: 'Median (hours)' },
  p90H: { zh: 'P90（小时）', en: 'P90 (hours)' },
  source: { zh: '来源', en: 'Source' },
  applicants: { zh: '申请人数', en: 'Applicants' },
  rate: { zh: '比例', en: 'Rate' },
  hires: { zh: '录用', en: 'Hires' },
  tthMedian: { zh: '录用用时中位数（小时）', en: 'Time to hire median (hours)' },
  band: { zh: 'AI 分数段', en: 'AI score band' },
  scored: { zh: '有 AI 分数', en: 'Scored' },
  decided: { zh: '已人工决定', en: 'Decided' },
  advanced: { zh: '进入复试', en: 'Advanced' },
  advanceRate: { zh: '进入复试率', en: 'Advance rate' },
  closed: { zh: '已有结果', en: 'Outcome known' },
  hired: { zh: '录用', en: 'Hired' },
  hireRate: { zh: '录用率', en: 'Hire rate' },
  rater: { zh: '评分人', en: 'Rater' },
  reports: { zh: '评过的报告', en: 'Reports rated' },
  ratings: { zh: '评分条数', en: 'Ratings' },
  meanScore: { zh: '平均分', en: 'Mean score' },
  compared: { zh: '可比评分', en: 'Compared ratings' },
  othersMean: { zh: '他人同题平均', en: 'Others on the same answers' },
  leniency: { zh: '宽松度', en: 'Leniency' },
  applicationId: { zh: '申请编号', en: 'Application' },
  department: { zh: '部门', en: 'Department' },
  created: { zh: '申请时间（UTC）', en: 'Applied (UTC)' },
  moved: { zh: '进入当前阶段（UTC）', en: 'In stage since (UTC)' },
  ai: { zh: 'AI 总分', en: 'AI overall' },
  name: { zh: '姓名', en: 'Name' },
  mobile: { zh: '手机', en: 'Mobile' },
  email: { zh: '邮箱', en: 'E-mail' },
  timeInStage: { zh: '阶段停留', en: 'Time in stage' },
  timeToHire: { zh: '录用用时', en: 'Time to hire' },
  waiting: { zh: '当前等待', en: 'Waiting now' },
  overall: { zh: '全部', en: 'All' },
  group: { zh: '群体', en: 'Group' },
  reminders: { zh: '提醒（开始前分钟）', en: 'Reminders (minutes before)' },
  channels: { zh: '渠道', en: 'Channels' },
  booked: { zh: '预约', en: 'Booked' },
  settled: { zh: '已有结果', en: 'Settled' },
  noShows: { zh: '爽约', en: 'No-shows' },
  noShowRate: { zh: '爽约率', en: 'No-show rate' },
  cancellations: { zh: '取消', en: 'Cancellations' },
  lateCancellations: { zh: '临时取消', en: 'Late cancellations' },
  lateCancelRate: { zh: '临时取消率', en: 'Late-cancellation rate' },
  none: { zh: '无', en: 'None' },
  competency: { zh: '能力项', en: 'Competency' },
  outcome: { zh: '结果', en: 'Outcome' },
  probation: { zh: '试用期转正', en: 'Passed probation' },
  performance: { zh: '绩效等级', en: 'Performance grade' },
  r: { zh: '相关系数 r', en: 'r' },
  low: { zh: '95% 区间下限', en: '95% CI low' },
  high: { zh: '95% 区间上限', en: '95% CI high' },
} as const;

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 100) / 100);

/** What one export produced: the file and how many data rows it carries (for the audit row). */
export interface Workbook {
  buffer: Buffer;
  rows: number;
}

/** The figures of one table, ready to write. */
export type TableData =
  | { table: 'funnel'; data: FunnelResponse }
  | { table: 'times'; data: TimesResponse }
  | { table: 'sources'; data: SourcesResponse }
  | { table: 'ai_validity'; data: AiValidityResponse }
  | { table: 'raters'; data: RatersResponse }
  | { table: 'reminders'; data: RemindersResponse }
  | { table: 'outcomes'; data: OutcomeValidityResponse }
  | { table: 'candidates'; data: CandidateExportRow[]; personal: boolean };

/** Builds the .xlsx of one table in `lang` (`zh-CN` default, anything starting `en` English). */
export async function toWorkbook(t: TableData, locale: string): Promise<Workbook> {
  const lang: Lang = locale.startsWith('en') ? 'en' : 'zh';
  const h = (k: keyof typeof H) => H[k][lang];
  // Loaded on the first export (about 30 MB resident), not when the web process starts.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AI 视频面试';
  const ws = wb.addWorksheet(t.table);
  const pct = (col: number) => {
    ws.getColumn(col).numFmt = '0.0%';
  };
  let rows: unknown[][] = [];
  switch (t.table) {
    case 'funnel': {
      ws.addRow([h('job'), h('stage'), h('reached'), h('conversion'), h('current')]);
      const all = [{ title: h('overall'), ...t.data.overall }, ...t.data.jobs];
      rows = all.flatMap((f) =>
        f.steps.map((s) => [f.title, s.stage, s.reached, s.conversion, f.current[s.stage]]),
      );
      pct(4);
      break;
    }
    case 'times': {
      ws.addRow([h('kind'), h('stage'), h('n'), h('medianH'), h('p90H')]);
      const line = (kind: string, stage: string, d: DurationStats) => [
        kind,
        stage,
        d.n,
        hours(d.medianMs),
        hours(d.p90Ms),
      ];
      rows = [
        ...t.data.stages.map((s) => line(h('timeInStage'), s.stage, s)),
        line(h('timeToHire'), 'hired', t.data.timeToHire),
        ...t.data.waiting.map((s) => line(h('waiting'), s.stage, s)),
      ];
      break;
    }
    case 'sources': {
      const steps = t.data.items[0]?.steps.map((s) => s.stage) ?? [];
      ws.addRow([
        h('source'),
        h('applicants'),
        ...steps.flatMap((s) => [`${s} ${h('reached')}`, `${s} ${h('rate')}`]),
        h('hires'),
        h('tthMedian'),
      ]);
      rows = t.data.items.map((i) => [
        i.source,
        i.applicants,
        ...i.steps.flatMap((s) => [s.reached, s.rate]),
        i.hires,
        hours(i.timeToHire.medianMs),
      ]);
      steps.forEach((_, k) => {
        pct(4 + 2 * k);
      });
      break;
    }
    case 'ai_validity': {
      ws.addRow([
        h('band'),
        h('scored'),
        h('decided'),
        h('advanced'),
        h('advanceRate'),
        h('closed'),
        h('hired'),
        h('hireRate'),
      ]);
      rows = t.data.bands.map((b) => [
        b.band,
        b.scored,
        b.decided,
        b.advanced,
        b.advanceRate,
        b.closed,
        b.hired,
        b.hireRate,
      ]);
      pct(5);
      pct(8);
      break;
    }
    case 'raters': {
      ws.addRow([
        h('rater'),
        h('reports'),
        h('ratings'),
        h('meanScore'),
        h('compared'),
        h('othersMean'),
        h('leniency'),
      ]);
      rows = t.data.items.map((r) => [
        r.name,
        r.reports,
        r.ratings,
        r.meanScore,
        r.compared,
        r.othersMean,
        r.leniency,
      ]);
      break;
    }
    case 'reminders': {
      ws.addRow([
        h('reminders'),
        h('channels'),
        h('booked'),
        h('settled'),
        h('noShows'),
        h('noShowRate'),
        h('cancellations'),
        h('lateCancellations'),
        h('lateCancelRate'),
      ]);
      rows = t.data.items.map((i) => [
        i.schedule.length ? i.schedule.join(', ') : h('none'),
        i.channels.length ? i.channels.join(', ') : h('none'),
        i.booked,
        i.settled,
        i.noShows,
        i.noShowRate,
        i.cancellations,
        i.lateCancellations,
        i.lateCancelRate,
      ]);
      pct(6);
      pct(9);
      break;
    }
    case 'outcomes': {
      // One row per (group, competency, outcome); r empty below the minimum n.
      ws.addRow([h('group'), h('competency'), h('outcome'), h('n'), h('r'), h('low'), h('high')]);
      const lines = (group: string, items: OutcomeValidityResponse['items']) =>
        items.flatMap((i) =>
          (['probation', 'performance'] as const).map((k) => [
            group,
            i.competency === 'overall' ? h('ai') : i.competency,
            h(k),
            i[k].n,
            i[k].r,
            i[k].low,
            i[k].high,
          ]),
        );
      rows = [
        ...lines(h('overall'), t.data.items),
        ...(t.data.groups ?? []).flatMap((g) => lines(`${g.dimension}: ${g.category}`, g.items)),
      ];
      break;
    }
    case 'candidates': {
      ws.addRow([
        h('applicationId'),
        h('job'),
        h('department'),
        h('source'),
        h('stage'),
        h('created'),
        h('moved'),
        h('ai'),
        ...(t.personal ? [h('name'), h('mobile'), h('email')] : []),
      ]);
      rows = t.data.map((r) => [
        r.applicationId,
        r.jobTitle,
        r.department,
        r.source,
        r.stage,
        r.createdAt,
        r.stageChangedAt,
        r.aiOverall,
        ...(t.personal ? [r.name, r.mobile, r.email] : []),
      ]);
      ws.getColumn(6).numFmt = 'yyyy-mm-dd hh:mm';
      ws.getColumn(7).numFmt = 'yyyy-mm-dd hh:mm';
      break;
    }
  }
  for (const r of rows) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows: rows.length };
}

/** The file name of an export (ASCII: it travels in a header). */
export function exportFileName(table: AnalyticsTable, now: Date): string {
  return `analytics-${table}-${now.toISOString().slice(0, 10)}.xlsx`;
}
