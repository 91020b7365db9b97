import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { screenGroup } from '../scripts/build/chunkGroups';
import { directImports } from '../scripts/build/directImports';
import { precompress } from '../scripts/build/precompress';

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

/**
 * Puts the first load's stylesheets into index.html as `<style>` blocks. Why: a stylesheet in the
 * head blocks the first paint, and on a slow phone network the four small files share the
 * connections with the first load's scripts, so the static sign-in header painted only at about
 * 1.6 s (`npm run bench -- frontend`, LCP). Inline, it paints when the HTML arrives (3.4 KB more
 * brotli in a page that is never cached). Each `<link>` stays, `disabled` (never fetched), so
 * Vite's loader, which looks for a stylesheet's `<link>` before fetching it for a lazy chunk,
 * still sees it as loaded.
 */
const inlineFirstLoadCss: Plugin = {
  name: 'aiv-inline-first-load-css',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html, ctx) {
      return html.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (link, file: string) => {
        const asset = ctx.bundle?.[file];
        if (asset?.type !== 'asset') return link;
        const css = String(asset.source).replace(/<\/style/gi, '<\\/style');
        return `<style data-href="/${file}">${css}</style>${link.replace(/>$/, ' disabled>')}`;
      });
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
 * Everything the first load runs, in one chunk (besides the entry's own): the modules reachable
 * from the entry through static imports (rolldown's `$initial` tag; `directImports` keeps
 * antd-mobile's barrel from making every component reachable). Why: left to itself, rolldown
 * split the first load into 13 files by which lazy screens share each module, and on a phone's
 * HTTP/1.1 connections every file costs a request (about 0.9 KB of headers and a round trip when
 * the six connections are busy): `npm run bench -- frontend` counted 11 KB of headers alone.
 */
const FIRST_LOAD_CHUNK = { name: 'app', tags: ['$initial' as const], priority: 3 };

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

export default defineConfig({
  root,
  base: '/',
  plugins: singleBundle
    ? [react(), withoutStaticHeader]
    : [react(), directImports(), inlineFirstLoadCss, precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // DingTalk's WebViews are recent Chromium/WebKit builds; es2020 still covers older iOS 14 clients.
    target: 'es2020',
    manifest: true,
    rolldownOptions: singleBundle
      ? { output: { codeSplitting: false } }
      : {
          output: { codeSplitting: { groups: [FIRST_LOAD_CHUNK, CANDIDATE_HOME_CHUNK, ...MESSAGE_CHUNKS] } },
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
