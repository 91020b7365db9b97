import { loadErrorTexts } from './errorCatalogue';
import {
  hasMessage,
  type LazyCatalogues,
  type MessageCatalogue,
  registerMessages,
  setMissingMessageHandler,
} from './i18n';

/** A feature whose messages load with its screens. */
export type LazyFeature = keyof LazyCatalogues;

/**
 * One loader per feature catalogue: each feature's `messages.ts` is fetched only by the screens
 * that need it (`miniapp/vite.config.ts` groups the catalogues of the candidate's home into one
 * chunk and most staff catalogues into another, to keep the number of requests down). The mapped
 * type makes each loader load its own feature's file.
 */
const LOADERS: { [F in LazyFeature]: () => Promise<LazyCatalogues[F]> } = {
  analytics: () => import('./analytics/messages'),
  audit: () => import('./audit/messages'),
  booking: () => import('./booking/messages'),
  candidates: () => import('./candidates/messages'),
  followups: () => import('./followups/messages'),
  homes: () => import('./homes/messages'),
  interview: () => import('./interview/messages'),
  jobs: () => import('./jobs/messages'),
  liveround: () => import('./liveround/messages'),
  me: () => import('./me/messages'),
  notifications: () => import('./notifications/messages'),
  org: () => import('./org/messages'),
  pipeline: () => import('./pipeline/messages'),
  quality: () => import('./quality/messages'),
  queue: () => import('./queue/messages'),
  reports: () => import('./reports/messages'),
  resumes: () => import('./resumes/messages'),
  summary: () => import('./summary/messages'),
};

/** A catalogue a screen can ask for: a feature's messages, or `errors`, every error code's text. */
export type MessageNeed = LazyFeature | 'errors';

/** Every catalogue (the default of staff screens, which use several features' texts). */
export const ALL_FEATURES: readonly MessageNeed[] = [...(Object.keys(LOADERS) as LazyFeature[]), 'errors'];

const loading = new Map<LazyFeature, Promise<void>>();

/**
 * Loads and registers the catalogues of `features` (each at most once; a failed load is retried
 * on the next call, e.g. after the network came back). Resolves when all of them are in.
 */
export function loadMessages(features: readonly MessageNeed[] = ALL_FEATURES): Promise<void> {
  return Promise.all(
    features.map((feature) => {
      if (feature === 'errors') return loadErrorTexts();
      let pending = loading.get(feature);
      if (!pending) {
        pending = LOADERS[feature]().then(
          (catalogue: MessageCatalogue) => registerMessages(catalogue),
          (error: unknown) => {
            loading.delete(feature);
            throw error;
          },
        );
        loading.set(feature, pending);
      }
      return pending;
    }),
  ).then(() => undefined);
}

let checking = false;

// A key of a catalogue nobody loaded (a screen that did not declare it): once the loads under
// way have settled (the screen's own may start in the same render), load every catalogue if the
// key is still missing; the locale provider re-renders when they arrive.
setMissingMessageHandler((key) => {
  if (checking) return;
  checking = true;
  setTimeout(() => {
    void Promise.allSettled([...loading.values()]).then(() => {
      checking = false;
      if (!hasMessage('zh-CN', key)) void loadMessages().catch(() => {});
    });
  }, 0);
});

/**
 * The catalogues of the candidate's home (its next step, timeline, the entries of résumé,
 * feedback, offer, inbox and follow-ups, and the accommodation card's work-queue texts): one
 * chunk, fetched with the home's code.
 */
export const CANDIDATE_HOME_MESSAGES = [
  'homes',
  'booking',
  'notifications',
  'resumes',
  'reports',
  'pipeline',
  'followups',
  'queue',
] as const satisfies readonly LazyFeature[];
