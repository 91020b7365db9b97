/**
 * Reads an uploaded candidate spreadsheet (.xlsx through exceljs, .csv through csv-parse) into
 * checked rows: each data row becomes either a normalised row or one error per bad field, named
 * by the spreadsheet's own row number so HR finds it. Pure apart from the parsing libraries: no
 * database here (matching against existing candidates is the import command's job).
 */
import {
  type CandidateSource,
  displayMobile,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  type ImportRowError,
  normaliseEmail,
  normaliseMobile,
  parseSource,
} from '../../../shared/api/candidates';
import { AppError, badRequest } from '../../kernel/errors';

/** A row that passed every check (mobile in E.164, e-mail lower-cased). */
export interface ParsedRow {
  row: number;
  name: string;
  mobile: string | null;
  email: string | null;
  source: CandidateSource;
  referrer: string | null;
}

/** What a file holds: the good rows, the problems, and how many data rows there were. */
export interface ParsedFile {
  rows: ParsedRow[];
  errors: ImportRowError[];
  totalRows: number;
}

type Column = 'name' | 'mobile' | 'email' | 'source' | 'referrer';

/** Header names HR's spreadsheets use for each column (compared lower-cased, spaces removed). */
const HEADERS: Record<Column, string[]> = {
  name: ['姓名', '名字', '候选人', 'name', 'fullname'],
  mobile: ['手机', '手机号', '手机号码', '电话', '联系电话', 'mobile', 'phone', 'mobilephone', 'tel'],
  email: ['邮箱', '电子邮箱', '邮件', 'email', 'e-mail', 'mail'],
  source: ['来源', '渠道', '候选人来源', 'source', 'channel'],
  referrer: ['推荐人', '内推人', 'referrer', 'referredby'],
};

function columnOf(header: string): Column | null {
  const h = header.trim().toLowerCase().replace(/[\s_]/g, '');
  for (const [col, names] of Object.entries(HEADERS) as Array<[Column, string[]]>)
    if (names.includes(h)) return col;
  return null;
}

/** The text of a CSV file: UTF-8 (with or without BOM), else GBK (what Excel saves in China). */
function decodeCsv(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gbk').decode(buf);
  }
}

/** Cells of every row, row 1 = the header, as text (empty rows kept so numbering matches the sheet). */
async function readCells(fileName: string, buf: Buffer): Promise<string[][]> {
  if (/\.xlsx$/i.test(fileName)) {
    // An .xlsx is a zip: refuse anything else before handing it to the parser.
    if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50)
      throw badRequest('import_unreadable', 'The .xlsx file is not a spreadsheet (not a zip archive)');
    // Loaded on first import (about 30 MB resident): a web process that never imports stays lean.
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw badRequest('import_unreadable', 'The .xlsx file could not be read');
    }
    const ws = wb.worksheets[0];
    if (!ws) throw badRequest('import_unreadable', 'The .xlsx file has no worksheet');
    const out: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? '');
      out[n - 1] = cells;
    });
    for (let i = 0; i < out.length; i++) out[i] ??= [];
    return out;
  }
  const { parse: parseCsv } = await import('csv-parse/sync');
  try {
    return parseCsv(decodeCsv(buf), {
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][];
  } catch {
    throw badRequest('import_unreadable', 'The .csv file could not be parsed');
  }
}

const msg = (zh: string, en: string) => ({ zh, en });

/**
 * Parses and checks a file. Throws (nothing stored) for a file that cannot be an import at all:
 * too large, unreadable, without the required columns, or with too many rows.
 */
export async function parseImportFile(fileName: string, contentBase64: string): Promise<ParsedFile> {
  const buf = Buffer.from(contentBase64, 'base64');
  if (buf.length > IMPORT_MAX_BYTES)
    throw new AppError('import_file_too_large', `The file exceeds ${IMPORT_MAX_BYTES} bytes`, {
      maxKb: IMPORT_MAX_BYTES / 1024,
    });
  if (buf.length === 0) throw badRequest('import_unreadable', 'The file is empty');
  const cells = await readCells(fileName, buf);
  const header = cells[0] ?? [];
  const index = new Map<Column, number>();
  header.forEach((h, i) => {
    const col = columnOf(String(h));
    if (col && !index.has(col)) index.set(col, i);
  });
  const missing: string[] = [];
  if (!index.has('name')) missing.push('姓名/name');
  if (!index.has('mobile') && !index.has('email')) missing.push('手机号/mobile 或/or 邮箱/email');
  if (missing.length)
    throw badRequest('import_missing_columns', `Missing columns: ${missing.join(', ')}`, {
      columns: missing.join('、'),
    });
  const dataRows = cells
    .map((r, i) => ({ cells: r, row: i + 1 }))
    .slice(1)
    .filter((r) => r.cells.some((c) => String(c ?? '').trim() !== ''));
  if (dataRows.length > IMPORT_MAX_ROWS)
    throw badRequest('import_too_many_rows', `The file has more than ${IMPORT_MAX_ROWS} rows`, {
      maxRows: IMPORT_MAX_ROWS,
    });
  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  for (const { cells: r, row } of dataRows) {
    const get = (c: Column) => {
      const i = index.get(c);
      return i === undefined ? '' : String(r[i] ?? '').trim();
    };
    const rowErrors: ImportRowError[] = [];
    const name = get('name');
    if (!name) rowErrors.push({ row, field: 'name', message: msg('缺少姓名', 'name is missing') });
    else if (name.length > 100)
      rowErrors.push({
        row,
        field: 'name',
        message: msg('姓名过长（最多 100 字）', 'name is longer than 100'),
      });
    const mobileText = get('mobile');
    const mobile = mobileText ? normaliseMobile(mobileText) : null;
    if (mobileText && !mobile)
      rowErrors.push({
        row,
        field: 'mobile',
        message: msg(`手机号无效：${mobileText}`, `not a valid mobile number: ${mobileText}`),
      });
    const emailText = get('email');
    const email = emailText ? normaliseEmail(emailText) : null;
    if (emailText && !email)
      rowErrors.push({
        row,
        field: 'email',
        message: msg(`邮箱无效：${emailText}`, `not a valid e-mail address: ${emailText}`),
      });
    if (!mobileText && !emailText)
      rowErrors.push({
        row,
        field: 'contact',
        message: msg('请至少填写手机号或邮箱之一', 'give a mobile number or an e-mail address'),
      });
    const sourceText = get('source');
    const source = sourceText ? parseSource(sourceText) : 'other';
    if (!source)
      rowErrors.push({
        row,
        field: 'source',
        message: msg(
          `来源无效：${sourceText}（可选：内推、招聘网站、校园、DingTalk 招聘、其他）`,
          `unknown source: ${sourceText} (referral, job site, campus, DingTalk Recruiting, other)`,
        ),
      });
    const referrer = get('referrer');
    if (referrer.length > 100)
      rowErrors.push({
        row,
        field: 'referrer',
        message: msg('推荐人过长（最多 100 字）', 'referrer is longer than 100'),
      });
    if (rowErrors.length) errors.push(...rowErrors);
    else rows.push({ row, name, mobile, email, source: source ?? 'other', referrer: referrer || null });
  }
  return { rows, errors, totalRows: dataRows.length };
}

/** The mobile as stored in `candidates.mobile` (mainland numbers as 11 digits). */
export function storedMobile(e164: string | null): string | null {
  return e164 ? displayMobile(e164) : null;
}
