/**
 * The script the build writes into `index.html` (`miniapp/vite.config.ts`, bundled on its own as
 * a classic script): it sends the load's first reads while the page is parsed (`earlyReads.ts`).
 * The server allows it by its hash in the page's Content-Security-Policy (`server/kernel/http/appShell.ts`).
 */
import { startEarlyReads } from './earlyReads';

try {
  startEarlyReads();
} catch {
  // The entry sends them (again) when it runs: nothing lost but the head start.
}
