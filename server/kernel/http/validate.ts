import type { Next } from 'koa';
import { type ZodError, type ZodType, z } from 'zod';
import { AppError, type FieldProblem, validationError } from '../errors';
import type { AppContext } from './context';

/** The value at `path` inside `input`, or undefined when any step is missing. */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * Converts zod issues into field problems with dotted paths prefixed by the input part. The
 * `kind` lets the mini-app say "please fill in" for a missing or empty field rather than
 * "please check"; pass `parsed` (the value that was parsed) so a missing value can be told from
 * a wrong one.
 */
export function zodProblems(err: ZodError, part: string, parsed?: { input: unknown }): FieldProblem[] {
  return err.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
    const base = [part, ...issue.path.map(String)].join('.');
    if (keys.length)
      return {
        field: `${base}.${keys[0]}`,
        message: `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`,
        kind: 'unknown',
      };
    const absent = parsed !== undefined && valueAt(parsed.input, issue.path) == null;
    const empty =
      issue.code === 'too_small' &&
      (issue.origin === 'string' || issue.origin === 'array') &&
      Number(issue.minimum) <= 1;
    const required = (issue.code === 'invalid_type' && absent) || empty;
    return { field: base, message: issue.message, kind: required ? 'required' : 'invalid' };
  });
}

/** Schemas for the parts of a request a route accepts. Parts without a schema must be empty. */
export interface InputSchemas<B extends ZodType, Q extends ZodType, P extends ZodType> {
  body?: B;
  query?: Q;
  params?: P;
}

/** Parses one part of the request into `input`, or adds its problems. */
function checkPart(
  part: 'body' | 'query' | 'params',
  schema: ZodType,
  value: unknown,
  input: Record<string, unknown>,
  problems: FieldProblem[],
): void {
  const given = value ?? (part === 'body' ? undefined : {});
  const result = schema.safeParse(given);
  if (result.success) input[part] = result.data;
  else problems.push(...zodProblems(result.error, part, { input: given }));
}

/**
 * Validates body, query and route params with zod and fills `ctx.input` with the typed
 * result. A failure is a 400 `validation_failed` naming the first bad field (all fields in
 * `details`). Unknown fields are rejected when the schema is strict (our contracts are).
 */
export function validate<
  B extends ZodType = z.ZodUndefined,
  Q extends ZodType = z.ZodUndefined,
  P extends ZodType = z.ZodUndefined,
>(schemas: InputSchemas<B, Q, P>) {
  return async (ctx: AppContext<{ body: z.infer<B>; query: z.infer<Q>; params: z.infer<P> }>, next: Next) => {
    // A route with a body schema takes JSON only. Any other body (text/plain, a form) would
    // otherwise reach the schema as "no fields" and, on an update, clear what it names.
    if (schemas.body && ctx.request.is('application/json', '+json') === false)
      throw new AppError(
        'unsupported_media_type',
        `Send the body as JSON (content-type application/json), not ${ctx.request.type || 'untyped data'}`,
        [{ field: 'header.content-type', message: 'must be application/json', kind: 'invalid' }],
      );
    const problems: FieldProblem[] = [];
    const input: Record<string, unknown> = {};
    // A part is read only when it has a schema: `ctx.query` parses the query string into a new
    // object on each read, a measurable share of the upload grant's CPU (BENCHMARKS.md, load).
    if (schemas.body)
      checkPart('body', schemas.body, (ctx.request as { body?: unknown }).body, input, problems);
    if (schemas.query) checkPart('query', schemas.query, ctx.query, input, problems);
    if (schemas.params)
      checkPart('params', schemas.params, (ctx as unknown as { params?: unknown }).params, input, problems);
    if (problems.length) throw validationError(problems);
    ctx.input = input as typeof ctx.input;
    await next();
  };
}

/** Route param schema for a positive integer id. */
export const idParams = z.strictObject({ id: z.coerce.number().int().positive() });
