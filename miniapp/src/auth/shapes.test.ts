import { describe, expect, it } from 'vitest';
import { type AuthConfig, authConfigSchema, type Me, meResponse } from '../../../shared/api/auth';
import { CANDIDATE_ME } from './meFixture';
import { authConfigShape, meResponseShape } from './shapes';

const ME = CANDIDATE_ME;
const HR: Me = {
  ...ME,
  id: 1,
  kind: 'employee',
  roles: ['hr', 'admin'],
  department: '人力资源部',
  home: 'hr',
  locale: 'en',
  invitationJobId: null,
};
const CONFIG: AuthConfig = {
  corpId: 'dingcorp',
  clientId: 'dingapp',
  demo: false,
  oauthStartUrl: '/api/auth/oauth/start',
};

/** Each field of `value` broken in a few ways (wrong type, missing, out of its enum). */
function broken(value: Record<string, unknown>): Array<[string, unknown]> {
  const cases: Array<[string, unknown]> = [];
  for (const key of Object.keys(value)) {
    const { [key]: _, ...without } = value;
    cases.push([`${key} missing`, without]);
    for (const bad of [null, 'x', 1.5, -1, true, [], {}, ['nobody']])
      cases.push([`${key} = ${JSON.stringify(bad)}`, { ...value, [key]: bad }]);
  }
  return cases;
}

describe('start-up answers checked without zod agree with the shared schemas', () => {
  const meCases: Array<[string, unknown]> = [
    ['candidate', { me: ME }],
    ['hr with extra fields', { me: { ...HR, extra: 1 }, other: true }],
    ['not an object', 'me'],
    ['null', null],
    ['me missing', {}],
    ['me an array', { me: [] }],
    ['id not safe', { me: { ...ME, id: 2 ** 60 } }],
    ['role outside the list', { me: { ...HR, roles: ['hr', 'owner'] } }],
    ...broken(ME as unknown as Record<string, unknown>).map(([name, me]): [string, unknown] => [
      name,
      { me },
    ]),
  ];
  it.each(meCases)('GET /api/me: %s', (_name, payload) => {
    const zod = meResponse.safeParse(payload);
    const ours = meResponseShape.safeParse(payload);
    expect(ours.success).toBe(zod.success);
    // Known fields only, as zod's object does.
    if (ours.success && zod.success) expect(ours.data).toEqual(zod.data);
  });

  const configCases: Array<[string, unknown]> = [
    ['config', CONFIG],
    ['demo with extra fields', { ...CONFIG, demo: true, more: 'x' }],
    ['an array', [CONFIG]],
    ...broken(CONFIG),
  ];
  it.each(configCases)('GET /api/auth/config: %s', (_name, payload) => {
    const zod = authConfigSchema.safeParse(payload);
    const ours = authConfigShape.safeParse(payload);
    expect(ours.success).toBe(zod.success);
    if (ours.success && zod.success) expect(ours.data).toEqual(zod.data);
  });

  it('names the field that is wrong', () => {
    const result = meResponseShape.safeParse({ me: { ...ME, locale: 'fr' } });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.error.issues).toEqual([{ path: ['me', 'locale'], message: 'expected one of zh-CN, en' }]);
  });
});
