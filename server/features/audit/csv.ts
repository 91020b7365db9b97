/**
 * CSV for spreadsheets, written safely: every cell quoted with quotes doubled (RFC 4180), and a
 * cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
 * return: OWASP "CSV injection") is prefixed with a single quote so it shows as text. A BOM in
 * front makes Excel read the UTF-8 (Chinese names) correctly.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text, quoted, formula-neutralised. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '""';
  // Numbers the product wrote itself (ids, scores) stay numbers, negative ones included.
  if (typeof value === 'number' || typeof value === 'boolean') return `"${String(value)}"`;
  let s = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** A whole document: header row, then rows; CRLF line ends, BOM first. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const lines = [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
