/**
 * Reading a vitest log for `npm test` (scripts/test.mjs). Plain .mjs so it runs before anything is
 * compiled.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
const ANSI = /\x1b\[[0-9;]*m/g;

/** vitest's own headings over what failed: "Failed Suites", "Failed Tests", "Unhandled Errors". */
const BLOCK = /⎯{3,}\s*(Failed (Suites|Tests)|Unhandled Errors?)\b/;
/** vitest's summary, which ends those blocks. */
const SUMMARY = /^\s*Test Files\s/;
/** Signs of trouble vitest prints outside those blocks (a worker that died, a hung teardown). */
const LOOSE = /close timed out|Worker exited|Timeout calling|Unhandled (Rejection|Error)|^\s*FAIL\s/;

/**
 * What a vitest log says about why a run failed, at most `limit` lines. First choice: vitest's
 * "Failed Suites", "Failed Tests" and "Unhandled Errors" blocks, from the first of them to the
 * summary. Without those blocks: the last lines that look like trouble (a worker that exited, a
 * teardown that timed out), each with a few lines after it. Tests' own console output comes
 * before the blocks and is not searched when they exist, so it cannot crowd the reason out.
 * Returns '' when the log names no reason.
 * @param {string} output everything the run printed, colours and all
 * @param {number} [limit]
 * @returns {string}
 */
export function failureExcerpt(output, limit = 200) {
  const lines = output.replace(ANSI, '').split('\n');
  const first = lines.findIndex((l) => BLOCK.test(l));
  if (first >= 0) {
    let end = lines.findIndex((l, i) => i > first && SUMMARY.test(l));
    if (end < 0) end = lines.length;
    // The summary's own lines (files, tests, errors) close the excerpt.
    const summary = lines.slice(end, end + 4).filter((l) => l.trim());
    return [...lines.slice(first, end).slice(0, limit - summary.length), ...summary].join('\n').trimEnd();
  }
  const hits = [];
  for (let i = 0; i < lines.length; i++) if (LOOSE.test(lines[i])) hits.push(i);
  const out = [];
  for (const i of hits.slice(-10)) out.push(...lines.slice(i, i + 8), '');
  return out.slice(-limit).join('\n').trimEnd();
}

/** The lines of an excerpt that carry its meaning: errors, failing files, where an error came from. */
const GIST =
  /^\s*(FAIL\s|(\w+)?Error: |⎯+ Unhandled|This error originated in|file \S+: |close timed out|Worker exited)/;

/**
 * A few lines naming what failed and where, for the last lines of a log (CI shows only its tail).
 * @param {string} excerpt what {@link failureExcerpt} returned
 * @param {number} [limit]
 * @returns {string[]}
 */
export function failureGist(excerpt, limit = 12) {
  const seen = new Set();
  const out = [];
  for (const line of excerpt.split('\n')) {
    const l = line.trim().replace(/ It doesn't mean the error was thrown.*$/, '');
    if (!GIST.test(line) || seen.has(l)) continue;
    seen.add(l);
    out.push(l.length > 240 ? `${l.slice(0, 237)}...` : l);
  }
  return out.slice(0, limit);
}
