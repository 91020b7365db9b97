/**
 * A follow-up answered on video, on a phone, against the real server, worker and sandbox:
 * the candidate's recorded interview answer only says "we", the worker transcribes it (the
 * sandbox's ASR returns the registered text), scores it and chooses a follow-up that must be
 * recorded like the question; in Chromium with a fake camera and a microphone playing espeak-ng
 * speech, the candidate opens the follow-up from the home, records, watches it back and sends
 * it; the worker transcribes the follow-up's own recording and scores it on the same rubric.
 * Run with local storage and with OSS (sandbox OSS through ali-oss, 100 KB parts): there the
 * follow-up's recording goes up as a multipart upload, the network drops once on part 2 and the
 * page resumes from the parts OSS has, like an interview answer. `FU_DRIVER` picks one.
 * Screenshots land in test-results/miniapp/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Department } from '../../server/kernel/db/entities/Department';
import { FollowUp } from '../../server/kernel/db/entities/FollowUp';
import { InterviewReport } from '../../server/kernel/db/entities/Scoring';
import { createObjectStore } from '../../server/kernel/integrations/storage';
import { checkMedia } from '../../server/kernel/media/checks';
import { makeJob, uniq } from '../../server/testing/factories';
import { candidateToken, giveConsent, waitVerdict } from '../../server/testing/interview';
import { recording, speechWav } from '../../server/testing/media';
import { browserTestsRunnable, launchBrowser } from './browser';
import { responseTo, SHOTS, useStackAndBrowser } from './helpers';

const WE_ONLY =
  '去年我们团队和产品经理在上线时间上有分歧，我们一起开会讨论，大家用数据说明了风险，最后双方达成共识，推迟一周上线。';
const SPOKEN_FOLLOW_UP =
  '我负责整理风险清单，我主动约产品经理沟通，先倾听了他的顾虑，再用上个版本延期三天的数据说服他。';

for (const driver of (process.env.FU_DRIVER ? [process.env.FU_DRIVER] : ['local', 'oss']) as Array<
  'local' | 'oss'
>)
  describe.skipIf(!browserTestsRunnable())(
    `a follow-up recorded on video with a fake camera (${driver} storage)`,
    () => {
      const ctx = useStackAndBrowser(
        undefined,
        driver === 'oss' ? { env: { STORAGE_DRIVER: 'oss', UPLOAD_PART_KB: '100' } } : {},
      );

      it('the candidate records the follow-up; the worker transcribes and scores it', async () => {
        const t = ctx.stack;
        const em = () => t.orm.em.fork();
        const job = await makeJob(t.orm, {
          title: uniq('后端工程师'),
          department: await em().findOneOrFail(Department, { name: '研发中心' }),
          questions: [
            { text: '讲一次你和同事意见不一致的经历。', competencies: ['沟通协作'], answerSeconds: 30 },
          ],
        });
        await t.sandbox.registerTranscript({ match: 'interviews/', text: WE_ONLY, durationMs: 3000 });
        await t.sandbox.registerTranscript({ match: 'followups/', text: SPOKEN_FOLLOW_UP, durationMs: 3000 });
        const wav = await speechWav(path.join(t.dataDir, 'followup.wav'), SPOKEN_FOLLOW_UP);
        const file = await recording(t.dataDir, 'answer', { seconds: 3, wav });

        // The interview itself through the API (the interview's own browser test covers that screen).
        const token = await candidateToken(t, '陈静', job.id);
        await giveConsent(t, token);
        await t.api('POST', '/api/interview/start', { token, body: { recorderMime: 'video/webm' } });
        const q = (await t.api('POST', '/api/interview/next', { token })).body.answer;
        const data = fs.readFileSync(file);
        const g = await t.api('POST', `/api/interview/answers/${q.id}/grant`, {
          token,
          body: { contentType: 'video/webm', bytes: data.length },
        });
        if (g.body.grant.mode === 'oss') {
          // Like the browser: a PostObject form straight to OSS with the granted policy.
          const fd = new FormData();
          for (const [k, v] of Object.entries(g.body.grant.fields as Record<string, string>)) fd.append(k, v);
          fd.append('file', new Blob([new Uint8Array(data)], { type: 'video/webm' }), 'answer');
          expect((await fetch(g.body.grant.url, { method: 'POST', body: fd })).status).toBe(201);
        } else
          await fetch(`${t.appUrl}${g.body.grant.url}`, {
            method: 'PUT',
            headers: {
              'content-type': 'video/webm',
              'upload-offset': '0',
              'upload-length': String(data.length),
            },
            body: data,
          });
        await t.api('POST', `/api/interview/answers/${q.id}/complete`, {
          token,
          body: { attempt: g.body.grant.attempt },
        });
        // The stack's worker checks the recording; accept once its verdict is in.
        expect((await waitVerdict(t, token, q.id, g.body.grant.attempt)).body.status).toBe('verified');
        await t.api('POST', `/api/interview/answers/${q.id}/accept`, { token });
        const sub = await t.api('POST', '/api/interview/submit', { token });
        expect(sub.status, JSON.stringify(sub.body)).toBe(200);
        const sessionId = sub.body.session.id as number;
        await expect
          .poll(async () => (await em().findOne(InterviewReport, { sessionId }))?.status ?? null, {
            timeout: 90_000,
            interval: 500,
          })
          // Any report (a one-question sitting may go to a person as well): follow-ups come with it.
          .not.toBeNull();
        const [fu] = await em().find(FollowUp, { sessionId });
        expect(fu).toMatchObject({ position: 1, answerMode: 'video', status: 'pending' });

        // The candidate comes back through a link (as from the DingTalk message), on a phone with a camera.
        const hr = await t.signInEmployee('hr01');
        const candidate = await em().findOneOrFail(Candidate, { name: '陈静' });
        const inv = await t.api('POST', '/api/invitations', {
          token: hr,
          body: { candidateId: candidate.id, jobId: job.id },
        });
        const browser = await launchBrowser({ fakeAudioFile: wav });
        try {
          const page = await browser.context.newPage();
          await page.goto(inv.body.invitation.url);
          await page.getByTestId('followups-open').click();
          await page.getByTestId('followup-recorder').waitFor();
          // No text box for a recorded question's follow-up.
          expect(await page.getByTestId('followup-input').count()).toBe(0);
          await page.getByTestId('followup-camera').click();
          await page.getByTestId('followup-record').click();
          await page.waitForTimeout(3500);
          await page.getByTestId('followup-stop').click();
          await page.getByTestId('followup-send').waitFor();
          await page.screenshot({
            path: path.join(SHOTS, `followups-recorded-review-${driver}.png`),
            fullPage: true,
          });
          // OSS: the network drops once while part 2 is on its way; the page resumes from ListParts.
          let dropped = 0;
          if (driver === 'oss')
            await page.route(/partNumber=2/, (route) => {
              if (route.request().method() === 'PUT' && dropped++ === 0)
                return route.abort('internetdisconnected');
              return route.continue();
            });
          const completed = responseTo(
            page,
            (r) => new URL(r.url()).pathname === `/api/followups/${fu.id}/recording/complete`,
            { timeout: 60_000 },
          );
          await page.getByTestId('followup-send').click();
          // 202: the stack's worker checks the recording; the page polls its small status row.
          const verdict = responseTo(
            page,
            (r) =>
              new URL(r.url()).pathname === `/api/followups/${fu.id}/recording` &&
              r.request().method() === 'GET',
            { timeout: 60_000 },
          );
          const res = await completed;
          expect(res.status()).toBe(202);
          expect(await res.json()).toMatchObject({ status: 'checking' });
          expect((await verdict).status()).toBe(200);
          if (driver === 'oss') {
            expect(dropped).toBeGreaterThanOrEqual(2); // the dropped PUT and its resend
            const ops = await t.sandbox.ossOps();
            // The interview answer went up as one form: these are the follow-up's.
            expect(ops).toContain('ListParts');
            expect(ops).toContain('CompleteMultipartUpload');
          }
          // The worker transcribes and scores it; the page polls until the answer is in.
          await page.getByText(SPOKEN_FOLLOW_UP, { exact: false }).waitFor({ timeout: 60_000 });
          await page.screenshot({
            path: path.join(SHOTS, `followups-recorded-answered-${driver}.png`),
            fullPage: true,
          });
        } finally {
          await browser.close();
        }
        const stored = await em().findOneOrFail(FollowUp, { id: fu.id });
        expect(stored).toMatchObject({
          status: 'answered',
          recordingStatus: 'transcribed',
          answerText: SPOKEN_FOLLOW_UP,
          contentType: 'video/webm',
        });
        expect(stored.answerScore).toBeGreaterThan(0);
        // What Chromium recorded is a real video with sound, stored under the follow-up's key.
        expect(stored.objectKey).toMatch(new RegExp(`^followups/${fu.id}/`));
        const store = createObjectStore(t.config);
        const media = await checkMedia(await store.signedGetUrl(stored.objectKey as string, 600));
        expect(media.videoCodec).toBeTruthy();
        expect(media.audioCodec).toBeTruthy();
        expect(media.durationMs).toBeGreaterThan(2000);
      }, 240_000);
    },
  );
