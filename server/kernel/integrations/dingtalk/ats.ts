import type * as AtsClientModule from '@alicloud/dingtalk/dist/ats_1_0/client';
import type AtsClient from '@alicloud/dingtalk/dist/ats_1_0/client';
import type { DingTalkCore } from './client';
import { DingTalkError } from './errors';
import { lazySdk } from './sdk';

const $ats = lazySdk<typeof AtsClientModule>('@alicloud/dingtalk/dist/ats_1_0/client');

/** A candidate of DingTalk recruitment (钉钉招聘) found by mobile. */
export interface AtsCandidate {
  candidateId: string;
  name: string;
}

/** One page of `queryCandidates` (candidates of a recruitment statistic, e.g. `entry`). */
export interface AtsCandidatePage {
  list: Array<{
    candidateId: string;
    userId: string | null;
    corpId: string | null;
    entryDate: number | null;
  }>;
  hasMore: boolean;
  nextToken: string | null;
  totalCount: number | null;
}

/** One candidate's AI-interview history, as the AI interview assistant reads it. */
export interface AiInterviewCandidate {
  /** Our own candidate id (the ISV's id, not DingTalk's). */
  bizCandidateId: string;
  name: string;
  phone: string | null;
  resumeContent: string | null;
  history: Array<{
    historyInterviewId: string;
    rounds: string;
    canViewUserIds: string[];
    evaluations: Array<{ interviewerUserId: string; content: string }>;
  }>;
}

/** The interview the assistant will help with, and what we know of the candidate so far. */
export interface AiInterviewSync {
  interviewId: string;
  interviewType: string;
  start: Date;
  end: Date;
  candidate: AiInterviewCandidate;
  interviewers: Array<{ id: string; name: string; position: string | null }>;
  job: { name: string; content: string; hireCount: number | null };
}

/**
 * DingTalk recruitment (`ats_1_0`, reference §8) through the real SDK: finding a candidate by
 * mobile, paging the candidates of a statistic, and pushing AI-interview results to DingTalk's AI
 * interview assistant for the live round. Which apps may call these is UNCONFIRMED (likely only
 * 钉钉招聘 customers and partners), so a refusal surfaces as a {@link DingTalkError} the caller
 * shows, never as a silent success.
 */
export class DingTalkAts {
  #lazyClient: AtsClient | null = null;

  /** Made on first call: a process that never calls this API never loads its SDK module. */
  private get client(): AtsClient {
    if (!this.#lazyClient) this.#lazyClient = new $ats.default(this.core.sdkConfig());
    return this.#lazyClient;
  }

  constructor(private readonly core: DingTalkCore) {}

  /**
   * The recruitment candidate with this mobile, or null. "Not found" is UNCONFIRMED: DingTalk may
   * answer an empty body or an error; both read as null (an empty body is what the sandbox sends).
   */
  async candidateByPhone(phoneNumber: string): Promise<AtsCandidate | null> {
    try {
      const res = await this.core.withAppToken('ats.getCandidateByPhoneNumber', (token) =>
        this.client.getCandidateByPhoneNumberWithOptions(
          new $ats.GetCandidateByPhoneNumberRequest({ bizCode: this.core.settings.ats.bizCode, phoneNumber }),
          new $ats.GetCandidateByPhoneNumberHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
      const b = res.body;
      return b?.candidateId ? { candidateId: b.candidateId, name: b.name ?? '' } : null;
    } catch (err) {
      if (err instanceof DingTalkError && err.kind === 'not_found') return null;
      throw err;
    }
  }

  /** One page of the candidates of a recruitment statistic (`statId`, e.g. `entry`). */
  async queryCandidates(args: {
    opUserId: string;
    statId: string;
    nextToken?: string | null;
    maxResults?: number;
  }): Promise<AtsCandidatePage> {
    const res = await this.core.withAppToken('ats.queryCandidates', (token) =>
      this.client.queryCandidatesWithOptions(
        new $ats.QueryCandidatesRequest({
          opUserId: args.opUserId,
          statId: args.statId,
          nextToken: args.nextToken ?? undefined,
          maxResults: args.maxResults ?? 20,
        }),
        new $ats.QueryCandidatesHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    const b = res.body;
    return {
      list: (b?.list ?? []).map((c) => ({
        candidateId: c.candidateId ?? '',
        userId: c.userId ?? null,
        corpId: c.corpId ?? null,
        entryDate: c.entryDate ?? null,
      })),
      hasMore: b?.hasMore === true,
      // The SDK types nextToken as a number; DingTalk's examples show a string. Keep it opaque.
      nextToken: b?.nextToken !== undefined && b?.nextToken !== null ? String(b.nextToken) : null,
      totalCount: b?.totalCount ?? null,
    };
  }

  /**
   * Pushes an interview and the candidate's AI-interview history to the AI interview assistant
   * (`POST /v1.0/ats/ai/interview/interviewInfos/sync`). Resolves only when DingTalk says
   * `success`; `success: false` is an error (nothing was synced).
   */
  async syncAiInterview(s: AiInterviewSync): Promise<void> {
    const res = await this.core.withAppToken('ats.syncInterviewInfoToAIInterviewAssistant', (token) =>
      this.client.syncInterviewInfoToAIInterviewAssistantWithOptions(
        new $ats.SyncInterviewInfoToAIInterviewAssistantRequest({
          isvId: this.core.settings.ats.isvId,
          interviewId: s.interviewId,
          interviewType: s.interviewType,
          interviewStartTime: s.start.getTime(),
          interviewEndTime: s.end.getTime(),
          candidateInfoVOList: [
            new $ats.SyncInterviewInfoToAIInterviewAssistantRequestCandidateInfoVOList({
              bizCandidateId: s.candidate.bizCandidateId,
              name: s.candidate.name,
              phone: s.candidate.phone ?? undefined,
              resumeContent: s.candidate.resumeContent ?? undefined,
              historyInterviewInfoVOList: s.candidate.history.map(
                (h) =>
                  new $ats.SyncInterviewInfoToAIInterviewAssistantRequestCandidateInfoVOListHistoryInterviewInfoVOList(
                    {
                      historyInterviewId: h.historyInterviewId,
                      historyInterviewRounds: h.rounds,
                      canViewUserIdList: h.canViewUserIds,
                      aiInterviewHistoryEvaluationContentList: h.evaluations.map(
                        (e) =>
                          new $ats.SyncInterviewInfoToAIInterviewAssistantRequestCandidateInfoVOListHistoryInterviewInfoVOListAiInterviewHistoryEvaluationContentList(
                            { interviewerUserId: e.interviewerUserId, historyInterviewContent: e.content },
                          ),
                      ),
                    },
                  ),
              ),
            }),
          ],
          interviewerInfoVOList: s.interviewers.map(
            (i) =>
              new $ats.SyncInterviewInfoToAIInterviewAssistantRequestInterviewerInfoVOList({
                id: i.id,
                name: i.name,
                position: i.position ?? undefined,
              }),
          ),
          jobContentVO: new $ats.SyncInterviewInfoToAIInterviewAssistantRequestJobContentVO({
            jobName: s.job.name,
            jobContent: s.job.content,
            hireCount: s.job.hireCount ?? undefined,
          }),
        }),
        new $ats.SyncInterviewInfoToAIInterviewAssistantHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    if (res.body?.success !== true)
      throw new DingTalkError('other', 'sync_not_accepted', 'DingTalk did not accept the AI-interview sync');
  }
}
