/**
 * Name of `index.html`'s `<meta>` listing the candidate home's files (its chunk, its texts' chunk,
 * the chunks they import and its stylesheet), written by the build (`miniapp/vite.config.ts`).
 */
export const HOME_FILES_META = 'aiv-home-files';

/**
 * Starts downloading the candidate home's files without running them (`modulepreload`, and
 * `preload` for a stylesheet), with the attributes Vite's loader uses, so its later `import()`
 * finds them fetched. Why not `import()` at once: running the home's code and the app's it
 * imports takes the main thread for several hundred milliseconds on a slow phone, and the
 * start-up would rather paint the home's card first (`earlyHome.ts`; issue 18).
 */
export function fetchHomeFiles(doc: Document = document): void {
  const listed = doc.querySelector(`meta[name="${HOME_FILES_META}"]`)?.getAttribute('content') ?? '';
  for (const href of listed.split(' ').filter(Boolean)) {
    const link = doc.createElement('link');
    if (href.endsWith('.css')) {
      link.rel = 'preload';
      link.as = 'style';
    } else link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    doc.head.appendChild(link);
  }
}
