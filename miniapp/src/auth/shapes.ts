/**
 * Checks of the two responses every start-up reads, `GET /api/auth/config` and `GET /api/me`,
 * without zod. Why: zod and the sign-in schemas are a 22 KB (brotli) chunk, about 85 KB of script
 * to compile and run; a returning user's first screen (the candidate home, issue 18: LCP under
 * 1.5 s on a throttled phone) needs only these two answers checked, and loading zod for them put
 * that chunk on the home's critical path (bandwidth shared with the app's chunk, then CPU). zod
 * still checks the sign-in routes' answers (`schemas.ts`), which load only when a credential is
 * being spent.
 *
 * The checks mirror `meSchema` and `authConfigSchema` in `shared/api/auth.ts`: each field table is
 * typed over the response type's keys (a field added there is a type error here), and
 * `shapes.test.ts` runs both over the same valid and broken answers and expects the same verdict.
 * Like zod's `z.object`, a passing check returns only the known fields.
 */
import type { AuthConfig, Me, MeResponse } from '../../../shared/api/auth';
import { EMPLOYEE_ROLES, type HomeKind, PRINCIPAL_KINDS } from '../../../shared/roles';
import type { ResponseParser } from '../api';
import { LANGS } from '../i18n';

/** What a failed check says: where and what, as zod's issues do (`bad_response` details). */
export interface ShapeIssue {
  path: Array<string | number>;
  message: string;
}

/** Checks one value; returns a problem in words, or null when it fits. */
type FieldCheck = (value: unknown) => string | null;

// zod's `int()` accepts safe integers only.
const int: FieldCheck = (v) => (Number.isSafeInteger(v) ? null : 'expected an integer');
const string: FieldCheck = (v) => (typeof v === 'string' ? null : 'expected a string');
const boolean: FieldCheck = (v) => (typeof v === 'boolean' ? null : 'expected a boolean');
const oneOf =
  (values: readonly string[]): FieldCheck =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `expected one of ${values.join(', ')}`;
const nullable =
  (check: FieldCheck): FieldCheck =>
  (v) =>
    v === null ? null : check(v);
const arrayOf =
  (check: FieldCheck): FieldCheck =>
  (v) => {
    if (!Array.isArray(v)) return 'expected an array';
    const bad = v.map(check).find((problem) => problem !== null);
    return bad ?? null;
  };

type Fields<T> = { [K in keyof Required<T>]: FieldCheck };

/** Homes the API names (`Me.home`). */
const HOMES = ['candidate', 'hr', 'manager', 'interviewer'] as const satisfies readonly HomeKind[];

const ME_FIELDS: Fields<Me> = {
  id: int,
  kind: oneOf(PRINCIPAL_KINDS),
  name: string,
  roles: arrayOf(oneOf(EMPLOYEE_ROLES)),
  department: nullable(string),
  home: oneOf(HOMES),
  locale: oneOf(LANGS),
  invitationJobId: nullable(int),
};

const CONFIG_FIELDS: Fields<AuthConfig> = {
  corpId: string,
  clientId: string,
  demo: boolean,
  oauthStartUrl: string,
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks `value` against `fields`, collecting issues under `path`; returns the known fields. */
function checkObject<T>(
  value: unknown,
  fields: Fields<T>,
  path: Array<string | number>,
  issues: ShapeIssue[],
): T {
  if (!isRecord(value)) {
    issues.push({ path, message: 'expected an object' });
    return value as T;
  }
  const out: Record<string, unknown> = {};
  for (const [key, check] of Object.entries<FieldCheck>(fields)) {
    const problem = check(value[key]);
    if (problem) issues.push({ path: [...path, key], message: problem });
    out[key] = value[key];
  }
  return out as T;
}

/** A `ResponseParser` (what `apiRequest` checks answers with) from a function that checks a value and collects issues. */
function shape<T>(read: (value: unknown, issues: ShapeIssue[]) => T): ResponseParser<T> {
  return {
    safeParse(value) {
      const issues: ShapeIssue[] = [];
      const data = read(value, issues);
      return issues.length ? { success: false, error: { issues } } : { success: true, data };
    },
  };
}

/** `GET /api/auth/config`'s answer (mirrors `authConfigSchema`). */
export const authConfigShape: ResponseParser<AuthConfig> = shape((value, issues) =>
  checkObject(value, CONFIG_FIELDS, [], issues),
);

/** `GET /api/me`'s answer (mirrors `meResponse`). */
export const meResponseShape: ResponseParser<MeResponse> = shape((value, issues) => {
  if (!isRecord(value)) {
    issues.push({ path: [], message: 'expected an object' });
    return value as MeResponse;
  }
  return { me: checkObject(value.me, ME_FIELDS, ['me'], issues) };
});
