/**
 * `npm run config:doc`: prints the configuration table (Markdown) from the zod schema in
 * server/kernel/config.ts, so the README's table is generated from the code that parses it.
 */
import { envSchema } from '../server/kernel/config';

const rows = Object.entries(envSchema.shape).map(([name, schema]) => {
  const s = schema as {
    description?: string;
    def?: { defaultValue?: unknown };
    _def?: { defaultValue?: unknown };
  };
  const def = s.def?.defaultValue ?? s._def?.defaultValue;
  const shown =
    def === undefined ? '' : `\`${typeof def === 'function' ? (def as () => unknown)() : String(def)}\``;
  return `| \`${name}\` | ${shown} | ${s.description ?? ''} |`;
});
console.log(['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n'));
