import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { screenGroup } from '../scripts/build/chunkGroups';
import { directImports } from '../scripts/build/directImports';
import { precompress } from '../scripts/build/precompress';
import { shellTexts } from './src/auth/shellTexts';
import { HOME_FILES_META } from './src/homes/homeFiles';
import { DEFAULT_LANG, LANGS, translate } from './src/i18n';

/** Where `index.html` takes the script that localizes its static sign-in screen ({@link shellLangScript}). */
const SHELL_LANG_MARK = '<!--shell-lang-->';

/** Absolute path of `miniapp/`, so the build works from any working directory. */
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vite config of the H5 micro-app. `npm run build` writes `miniapp/dist`, which the Koa server
 * serves with an SPA fallback; in development `/api` is proxied to the server on :3000 so the
 * browser sees one origin, exactly as in production (the OAuth state cookie depends on it).
 *
 * Production output: content-hashed files under `assets/` (served with a one-year immutable
 * cache), a `.br` and `.gz` next to each text file (precompressed once here, negotiated by the
 * server), and `.vite/manifest.json`, which maps source modules to chunks so tests and
 * `npm run bench -- frontend` can tell which chunk is which (it is never served: dotfiles).
 */
/**
 * `MINIAPP_BUNDLE=single`: the app as it was built before the front-end budget work (issue 18):
 * one bundle, no precompressed files, and no static sign-in header in `index.html`. Only
 * `npm run bench -- frontend` sets it, to measure its baseline in the same run.
 */
const singleBundle = process.env.MINIAPP_BUNDLE === 'single';

/** Drops index.html's static sign-in header (between its marker comments) for the baseline build. */
const withoutStaticHeader: Plugin = {
  name: 'aiv-baseline-without-static-header',
  transformIndexHtml: (html) => html.replace(/<!--static-header-->[\s\S]*<!--\/static-header-->/, ''),
};

/** The chunks a returning candidate's home renders from: its code and its texts. */
const HOME_FIRST_CHUNKS = ['home', 'messages-home'];

/** `<style>` with a stylesheet's text, then its `<link>` disabled (see {@link firstLoadInHtml}). */
function inlineStylesheet(file: string, css: string): string {
  return `<style data-href="/${file}">${css.replace(/<\/style/gi, '<\\/style')}</style><link rel="stylesheet" crossorigin href="/${file}" disabled>`;
}

/**
 * A file of `src/` bundled on its own as a classic script, for `index.html` to carry inline
 * (`src/inlineReads.ts`: the load's first reads and `<html>`'s first-paint marks;
 * `src/shellLang.ts`). The server allows each by its hash (`server/kernel/http/appShell.ts`).
 */
async function inlineScript(file: string, define: Record<string, string> = {}): Promise<string> {
  const out = await esbuild({
    entryPoints: [fileURLToPath(new URL(`./src/${file}`, import.meta.url))],
    bundle: true,
    format: 'iife',
    minify: true,
    write: false,
    target: 'es2020',
    logLevel: 'silent',
    define,
  });
  const code = out.outputFiles[0].text.trim();
  // It goes between <script> tags as it is: a closing tag inside would end it early.
  if (/<\/script/i.test(code)) throw new Error(`${file}: the bundle contains "</script"`);
  return `<script>${code}</script>`;
}

/**
 * `src/shellLang.ts` as a classic script for `index.html` to carry right after `#root`: it puts
 * the static sign-in screen into the stored language before the first paint. The texts of the
 * languages other than the default come from the messages files (`src/i18n.ts`), here at build time.
 */
function shellLangScript(): Promise<string> {
  const texts = Object.fromEntries(
    LANGS.filter((lang) => lang !== DEFAULT_LANG).map((lang) => [
      lang,
      shellTexts((key) => translate(lang, key)),
    ]),
  );
  return inlineScript('shellLang.ts', { __AIV_SHELL_TEXTS__: JSON.stringify(texts) });
}

/**
 * Makes `index.html` send its first reads inline, fetch the app's chunk from the start and carry
 * its stylesheets inline.
 *
 * The entry (`main.tsx`) is a few KB that send the first requests, then import the app
 * (`start.tsx`, {@link APP_CHUNK}); a `modulepreload` for that chunk (and the chunks it imports)
 * starts its download with the HTML rather than when the entry runs.
 *
 * Its stylesheets (and any the entry has) go into the HTML as `<style>` blocks. Why: a stylesheet
 * blocks the first paint, and on a slow phone network the small files share the connections with
 * the scripts, so the static sign-in header painted only at about 1.6 s (`npm run bench --
 * frontend`, LCP). Inline, it paints when the HTML arrives (about 3.5 KB more brotli in a page
 * that is never cached). Each `<link>` stays, `disabled` (never fetched), so Vite's loader, which
 * looks for a stylesheet's `<link>` before fetching it for a lazy chunk, sees it as loaded.
 *
 * The candidate home's files go into a `<meta>` (their paths only): the entry starts their download
 * for a returning candidate without running them (`homes/homeFiles.ts`).
 *
 * The first reads' script ({@link inlineReadsScript}) goes first in `<head>`, before the
 * stylesheets: it runs when the parser reaches it, and on a slow phone the parser took a few
 * hundred milliseconds to get through the inline stylesheets. (The browser's preload scanner
 * still finds the entry and the app's chunk before the script runs.)
 */
const firstLoadInHtml: Plugin = {
  name: 'aiv-first-load-in-html',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    async handler(html, ctx) {
      const bundle = ctx.bundle ?? {};
      const source = (file: string) => {
        const asset = bundle[file];
        return asset?.type === 'asset' ? String(asset.source) : null;
      };
      let out = html.replace(
        /<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g,
        (link, file: string) => {
          const css = source(file);
          return css === null ? link : inlineStylesheet(file, css);
        },
      );
      const app = Object.values(bundle).find((c) => c.type === 'chunk' && c.name === APP_CHUNK_NAME);
      if (app?.type !== 'chunk') return out;
      const preloads = [app.fileName, ...app.imports]
        .filter((file) => !out.includes(`/${file}"`))
        .map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`);
      const styles = [...(app.viteMetadata?.importedCss ?? [])].map((file) =>
        inlineStylesheet(file, source(file) ?? ''),
      );
      // The candidate home's files, named for the entry to fetch early for a returning candidate
      // only (`homes/preload.ts`): as links here, every visitor of the sign-in page would load them.
      const homeFiles = Object.values(bundle).flatMap((c) =>
        c.type === 'chunk' && HOME_FIRST_CHUNKS.includes(c.name)
          ? [c.fileName, ...c.imports, ...(c.viteMetadata?.importedCss ?? [])]
          : [],
      );
      const hint = [...new Set(homeFiles)]
        .filter((file) => !out.includes(`/${file}"`) && file !== app.fileName && !app.imports.includes(file))
        .map((file) => `/${file}`);
      const meta = `<meta name="${HOME_FILES_META}" content="${hint.join(' ')}">`;
      out = out.replace('</head>', `${preloads.join('')}${styles.join('')}${meta}</head>`);
      out = out.replace('<title>', `${await inlineScript('inlineReads.ts')}<title>`);
      out = out.replace(SHELL_LANG_MARK, await shellLangScript());
      return out;
    },
  },
};

/**
 * The feature message catalogues load with their screens (`miniapp/src/messageLoaders.ts`), one
 * module each. Those always fetched together share a chunk, so a screen does not queue several
 * tiny requests behind one another on HTTP/1.1: the candidate home's catalogues, and the staff
 * catalogues that only staff screens use (all loaded by a staff screen's first open). The others
 * (interview, me) stay one chunk each, for the candidate screens that need just that one; the
 * work queue's catalogue goes with the home, whose accommodation card uses it.
 */
const MESSAGE_CHUNKS = [
  {
    name: 'messages-home',
    test: /miniapp[\\/]src[\\/](homes|booking|notifications|resumes|reports|pipeline|followups|queue)[\\/]messages\.ts$/,
  },
  {
    name: 'messages-staff',
    test: /miniapp[\\/]src[\\/](analytics|audit|candidates|jobs|liveround|org|quality|summary)[\\/]messages\.ts$/,
  },
];

/**
 * What the start-up entry (`main.tsx`) imports, in the entry's own file (rolldown's `$initial`
 * tag: modules reachable from it through static imports; `directImports` keeps antd-mobile's
 * barrel from making every component reachable).
 */
const ENTRY_CHUNK = { name: 'entry', tags: ['$initial' as const], priority: 4 };

/**
 * The app (`start.tsx`: React, the router, sign-in, the frame, the homes' shell) in one chunk.
 * Why: left to itself, rolldown split the first load into 13 files by which lazy screens share
 * each module, and on a phone's HTTP/1.1 connections every file costs a request (about 0.9 KB
 * of headers, and a round trip when the six connections are busy): `npm run bench -- frontend`
 * counted 11 KB of headers alone.
 */
const APP_CHUNK_NAME = 'app';
const APP_CHUNK = screenGroup(APP_CHUNK_NAME, fileURLToPath(new URL('./src/start.tsx', import.meta.url)), 3);

/**
 * The candidate's home in one chunk: every module it imports that is not in the first load (its
 * screen, the entries of its features, their API hooks, TanStack Query's hooks, antd's List).
 * Why: a returning candidate's first load is the home (issue 18: at most 150 KB of compressed JS
 * and LCP under 1.5 s), and rolldown split these modules into 19 files by which staff screens
 * share them, so the home waited for several rounds of requests on six connections. A staff
 * screen that shares one of them (the hooks, the list) loads this chunk too: a few KB it mostly uses.
 */
const CANDIDATE_HOME_CHUNK = screenGroup(
  'home',
  fileURLToPath(new URL('./src/homes/CandidateHome.tsx', import.meta.url)),
  2,
);

/**
 * Sign-in's response schemas and zod (`src/auth/schemas.ts`) in one chunk, which the start-up
 * entry requests alongside the app's: three files otherwise (the schemas, zod, the role enums).
 */
const AUTH_SCHEMAS_CHUNK = screenGroup(
  'auth-schemas',
  fileURLToPath(new URL('./src/auth/schemas.ts', import.meta.url)),
  1,
);

export default defineConfig({
  root,
  base: '/',
  plugins: singleBundle
    ? [react(), withoutStaticHeader]
    : [react(), directImports(), firstLoadInHtml, precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // DingTalk's WebViews are recent Chromium/WebKit builds; es2020 still covers older iOS 14 clients.
    target: 'es2020',
    manifest: true,
    rolldownOptions: singleBundle
      ? { output: { codeSplitting: false } }
      : {
          output: {
            codeSplitting: {
              groups: [ENTRY_CHUNK, APP_CHUNK, CANDIDATE_HOME_CHUNK, AUTH_SCHEMAS_CHUNK, ...MESSAGE_CHUNKS],
            },
          },
        },
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
