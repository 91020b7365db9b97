/**
 * LLM gap-filling of a parsed résumé profile. The deterministic parser runs first; when an LLM
 * is configured (`config.llm`, any OpenAI-compatible chat endpoint), it is asked only for the
 * fields the parser left empty, and every value it returns must be found verbatim in the
 * résumé's text (inside the entry it belongs to, for a school or an employer) or it is
 * discarded. A kept value carries its source span like a parsed one, and `source: 'llm'` so HR
 * sees where it came from. Protected attributes (name, gender, age, ...) and contact details are
 * never asked for, the lines holding them are not sent, and no value is taken from them.
 * Anything going wrong (endpoint down, timeout, not JSON) leaves the deterministic profile as it
 * was; the prompt version, the model and the output are recorded in `profile.llm` either way.
 */
import { z } from 'zod';
import type { ProfileField, ProfileLlmRecord, ResumeProfile, SourceSpan } from '../../../shared/api/resumes';
import { linesOf } from '../../../shared/resumes/parse';
import type { LlmOptions } from '../scoring';

/** Version of the gap-filling prompt; stored with every result. */
export const GAPFILL_PROMPT_VERSION = 'resume-gapfill-1';

/** Longest value accepted for one field (characters): a field, not a paragraph. */
const MAX_VALUE = 120;
/** Longest list the LLM may fill (skills, certificates, languages). */
const MAX_ITEMS = 30;

const LISTS = ['skills', 'certificates', 'languages'] as const;
type ListName = (typeof LISTS)[number];

/** One empty field the LLM is asked for: its path and a hint of where it is. */
export interface GapField {
  path: string;
  /** The entry's own text (education / experience), to say which entry is meant. */
  context: string | null;
  /** Where a value must be found (the entry's span), or null for anywhere. */
  within: SourceSpan | null;
  list: boolean;
}

/**
 * The fields the deterministic parser left empty. Never protected attributes, and never contact
 * details: those sit on the personal lines, which are not sent (see {@link promptText}).
 */
export function emptyFields(profile: ResumeProfile, text: string): GapField[] {
  const out: GapField[] = [];
  profile.education.forEach((e, i) => {
    for (const k of ['school', 'degree', 'major'] as const)
      if (!e[k])
        out.push({
          path: `education.${i}.${k}`,
          context: text.slice(e.span.start, e.span.end),
          within: e.span,
          list: false,
        });
  });
  profile.experience.forEach((e, i) => {
    for (const k of ['employer', 'title'] as const)
      if (!e[k])
        out.push({
          path: `experience.${i}.${k}`,
          context: text.slice(e.span.start, e.span.end),
          within: e.span,
          list: false,
        });
  });
  for (const k of LISTS)
    if (profile[k].length === 0) out.push({ path: k, context: null, within: null, list: true });
  return out;
}

/** A chat message as sent. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/**
 * The résumé text as sent to the LLM: the lines holding protected attributes or contact details
 * (`profile.personalLines`) are left out, so name, gender, age, hometown, mobile and e-mail never
 * leave for the LLM; nothing asked of it is on those lines.
 */
export function promptText(text: string, profile: ResumeProfile): string {
  const personal = new Set(profile.personalLines);
  return linesOf(text)
    .map((l, i) => (personal.has(i) ? '[…]' : l.text))
    .join('\n');
}

/** The prompt: fill these fields, copying values exactly from the text. */
export function buildGapFillPrompt(text: string, fields: GapField[]): ChatMessage[] {
  const asked = fields
    .map((f) => {
      const what = f.list ? `${f.path} (a list)` : f.path;
      return f.context
        ? `- ${what}, in this entry: ${f.context.replace(/\s+/g, ' ').slice(0, 300)}`
        : `- ${what}`;
    })
    .join('\n');
  return [
    {
      role: 'system',
      content:
        'You fill missing fields of a résumé profile. Copy every value EXACTLY as it is written in the ' +
        'résumé text: same characters, no translation, no normalisation, nothing inferred. Leave out a ' +
        'field the text does not state. Never give name, gender, age, birth date, marital status, ' +
        'ethnicity, hometown or photo. Answer JSON only: {"fields": {"<path>": "value" or ["value", ...]}}.',
    },
    { role: 'user', content: `Fields to fill:\n${asked}\n\nRésumé text:\n${text}` },
  ];
}

const outputSchema = z.object({
  fields: z.record(z.string(), z.union([z.string(), z.array(z.string()).max(MAX_ITEMS)])),
});

/** Where `value` is in the text (within `within` when given, never on a personal line), or why it cannot be used. */
function locate(
  text: string,
  value: string,
  field: GapField,
  personal: Array<{ start: number; end: number }>,
): SourceSpan | string {
  if (!value) return 'empty value';
  if (value.length > MAX_VALUE) return `longer than ${MAX_VALUE} characters`;
  const from = field.within?.start ?? 0;
  const to = field.within?.end ?? text.length;
  let at = text.indexOf(value, from);
  let onPersonalLine = false;
  while (at >= 0 && at + value.length <= to) {
    const span = { start: at, end: at + value.length };
    if (!personal.some((l) => span.start < l.end && span.end > l.start)) return span;
    onPersonalLine = true;
    at = text.indexOf(value, at + 1);
  }
  if (onPersonalLine) return 'only on a line of personal details';
  return field.within ? 'not in the text of its entry' : 'not in the résumé text';
}

/** Settable field of the profile at a scalar path from {@link emptyFields}. */
function setAt(profile: ResumeProfile, path: string, f: ProfileField): void {
  const [head, a, b] = path.split('.');
  if (head === 'education') profile.education[Number(a)][b as 'school' | 'degree' | 'major'] = f;
  else if (head === 'experience') profile.experience[Number(a)][b as 'employer' | 'title'] = f;
}

/**
 * The profile with the LLM's verified values filled in (a copy; the input is not changed), and
 * the record of the exchange in `profile.llm`. With no LLM configured or no empty field, the
 * profile is returned as it was. Never throws; never slower than the LLM timeout.
 */
export async function fillGaps(
  llm: LlmOptions | null,
  text: string,
  deterministic: ResumeProfile,
  now: Date = new Date(),
): Promise<ResumeProfile> {
  if (!llm) return deterministic;
  const fields = emptyFields(deterministic, text);
  if (fields.length === 0) return deterministic;
  const record: ProfileLlmRecord = {
    promptVersion: GAPFILL_PROMPT_VERSION,
    model: llm.model,
    asked: fields.map((f) => f.path),
    filled: [],
    discarded: [],
    at: now.toISOString(),
  };
  // On failure: the parser's fields untouched, only the record of what went wrong added.
  const failed = (error: string, output?: string): ResumeProfile => ({
    ...deterministic,
    llm: { ...record, error, ...(output !== undefined ? { output: output.slice(0, 4000) } : {}) },
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
  let content: string;
  try {
    const res = await fetch(`${llm.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: llm.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: buildGapFillPrompt(promptText(text, deterministic), fields),
      }),
      signal: AbortSignal.timeout(llm.timeoutMs),
    });
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      return failed(`endpoint answered ${res.status}: ${body.slice(0, 200)}`);
    }
    const body = (await res.json()) as {
      model?: string;
      choices?: Array<{ message?: { content?: string } }>;
    };
    if (body.model) record.model = body.model;
    content = body.choices?.[0]?.message?.content ?? '';
  } catch (err) {
    const e = err as Error;
    return failed(
      e.name === 'TimeoutError' ? `no answer within ${llm.timeoutMs} ms` : `request failed: ${e.message}`,
    );
  }
  let parsed: z.infer<typeof outputSchema>;
  try {
    parsed = outputSchema.parse(JSON.parse(content));
  } catch {
    return failed('output is not the requested JSON', content);
  }

  const profile = structuredClone(deterministic);
  const lines = linesOf(text);
  const personal = deterministic.personalLines.map((i) => lines[i]).filter((l) => l !== undefined);
  const byPath = new Map(fields.map((f) => [f.path, f]));
  for (const [path, raw] of Object.entries(parsed.fields)) {
    const field = byPath.get(path);
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => v.trim()).filter(Boolean);
    if (!field) {
      for (const v of values)
        record.discarded.push({ path, value: v.slice(0, 200), reason: 'not a field that was asked for' });
      continue;
    }
    if (!field.list && values.length > 1) {
      record.discarded.push({
        path,
        value: values.join(' | ').slice(0, 200),
        reason: 'several values for one field',
      });
      continue;
    }
    for (const value of values) {
      const span = locate(text, value, field, personal);
      if (typeof span === 'string') {
        record.discarded.push({ path, value: value.slice(0, 200), reason: span });
        continue;
      }
      const f: ProfileField = { value, span, source: 'llm' };
      if (field.list) {
        const list = profile[path as ListName];
        if (list.some((x) => x.value === value)) continue;
        list.push(f);
        record.filled.push(`${path}.${list.length - 1}`);
      } else {
        setAt(profile, path, f);
        record.filled.push(path);
      }
    }
  }
  record.output = content.slice(0, 4000);
  profile.llm = record;
  return profile;
}
