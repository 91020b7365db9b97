import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hasMessage, messagesVersion, subscribeMessages, translate } from './i18n';
import { ALL_FEATURES, CANDIDATE_HOME_MESSAGES, type LazyFeature, loadMessages } from './messageLoaders';

const SRC = path.dirname(new URL(import.meta.url).pathname);

/**
 * Pages outside the app's catalogue: their `messages.ts` is imported by the page itself and
 * translated there (the public job page, opened before sign-in by people who never load the app).
 */
const SELF_CONTAINED = new Set(['jobboard']);

/** Feature folders that have a `messages.ts` in the app's catalogue. */
const featureDirs = fs
  .readdirSync(SRC)
  .filter((d) => !SELF_CONTAINED.has(d) && fs.existsSync(path.join(SRC, d, 'messages.ts')))
  .sort();

/** Chinese keys of each feature's catalogue, read from its source. */
function keysByFeature(): Map<string, string> {
  const owner = new Map<string, string>();
  for (const d of featureDirs) {
    const src = fs.readFileSync(path.join(SRC, d, 'messages.ts'), 'utf8');
    const zh = src.slice(0, src.indexOf('export const en'));
    for (const m of zh.matchAll(/^\s+'([^']+)':/gm)) owner.set(m[1], d);
  }
  return owner;
}

/** A module's own file and every file it imports statically (not `import()`), under the mini-app. */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) {
      const base = path.resolve(path.dirname(file), m[1]);
      const found = ['.ts', '.tsx', '']
        .map((ext) => base + ext)
        .find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (found && !found.endsWith('messages.ts') && !found.endsWith('i18n.ts')) stack.push(found);
    }
  }
  return [...seen];
}

/** Features whose keys the module graph of `entry` names (literal keys and `prefix.${x}` templates). */
function featuresUsed(entry: string): Set<string> {
  const owner = keysByFeature();
  const used = new Set<string>();
  for (const file of staticGraph(entry)) {
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/'([a-zA-Z]+\.[\w.-]+)'/g)) {
      const f = owner.get(m[1]);
      if (f) used.add(f);
    }
    for (const m of src.matchAll(/`([a-zA-Z]+\.[\w.-]*)\$\{/g)) {
      for (const [key, f] of owner) if (key.startsWith(m[1])) used.add(f);
    }
  }
  return used;
}

/** `lazyScreen(() => import('./x'), 'Name', [...])` calls that name their catalogues, in `file`. */
function declaredScreens(file: string): Array<{ module: string; needs: string[] }> {
  const src = fs.readFileSync(path.join(SRC, file), 'utf8');
  const out: Array<{ module: string; needs: string[] }> = [];
  for (const m of src.matchAll(/lazyScreen\(\s*\(\) => import\('([^']+)'\),\s*'\w+',\s*(\[[^\]]*\]|\w+)/g)) {
    const spread = m[2].includes('CANDIDATE_HOME_MESSAGES') ? [...CANDIDATE_HOME_MESSAGES] : [];
    const needs = [...[...m[2].matchAll(/'(\w+)'/g)].map((x) => x[1]), ...spread];
    out.push({ module: path.resolve(SRC, path.dirname(file), m[1]), needs });
  }
  return out;
}

describe('feature message catalogues', () => {
  it('has a loader for every feature’s messages.ts', () => {
    expect(ALL_FEATURES.filter((f) => f !== 'errors').sort()).toEqual(featureDirs);
  });

  it('defines each key in one catalogue only (the last one loaded would win: 待办 read 公平与质量)', () => {
    const owners = new Map<string, string[]>();
    for (const d of featureDirs) {
      const src = fs.readFileSync(path.join(SRC, d, 'messages.ts'), 'utf8');
      for (const m of src.slice(0, src.indexOf('export const en')).matchAll(/^\s+'([^']+)':/gm))
        owners.set(m[1], [...(owners.get(m[1]) ?? []), d]);
    }
    expect(owners.size).toBeGreaterThan(500);
    expect([...owners].filter(([, dirs]) => dirs.length > 1)).toEqual([]);
  });

  it('registers a catalogue when loaded, once, and tells subscribers', async () => {
    expect(hasMessage('zh-CN', 'pl.offer.title')).toBe(false);
    expect(translate('en', 'app.title')).toBe('AI Video Interview');
    let calls = 0;
    const stop = subscribeMessages(() => calls++);
    const before = messagesVersion();
    await loadMessages(['pipeline']);
    expect(hasMessage('zh-CN', 'pl.offer.title')).toBe(true);
    expect(hasMessage('en', 'pl.offer.title')).toBe(true);
    expect(translate('en', 'pl.offer.title')).not.toBe('');
    expect(messagesVersion()).toBe(before + 1);
    await loadMessages(['pipeline']);
    expect(calls).toBe(1);
    stop();
  });

  it('reads a key of a catalogue nobody loaded as empty, then loads every catalogue', async () => {
    const key = 'org.title';
    expect(hasMessage('en', key)).toBe(false);
    expect(translate('en', key)).toBe('');
    await vi.waitFor(() => expect(hasMessage('en', key)).toBe(true));
    expect(translate('en', key)).not.toBe('');
  });

  it('names, for each candidate screen, every catalogue its code uses', () => {
    const screens = [
      ...declaredScreens('App.tsx'),
      ...declaredScreens('homes/HomePage.tsx'),
      ...declaredScreens('homes/CandidateHome.tsx'),
    ];
    expect(screens.length).toBeGreaterThanOrEqual(10);
    for (const { module, needs } of screens) {
      const file = ['.tsx', '.ts'].map((ext) => module + ext).find((f) => fs.existsSync(f)) as string;
      const missing = [...featuresUsed(file)].filter((f) => !needs.includes(f as LazyFeature));
      expect({ screen: path.relative(SRC, file), missing }).toEqual({
        screen: path.relative(SRC, file),
        missing: [],
      });
    }
  });
});
