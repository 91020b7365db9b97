/**
 * The script the build writes into `index.html` (`miniapp/vite.config.ts`, bundled on its own as
 * a classic script): it sends the load's first reads while the page is parsed (`earlyReads.ts`)
 * and marks `<html>` for the first paint (`firstPaint.ts`), before the body is parsed.
 * The server allows it by its hash in the page's Content-Security-Policy (`server/kernel/http/appShell.ts`).
 */
import { returningSession } from './auth/urlCredential';
import { startEarlyReads } from './earlyReads';
import { markFirstPaint } from './firstPaint';

try {
  markFirstPaint(returningSession());
} catch {
  // Unmarked, the page paints as it did before: the "signing in" screen first.
}
try {
  startEarlyReads();
} catch {
  // The entry sends them (again) when it runs: nothing lost but the head start.
}
