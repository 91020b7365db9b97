/**
 * Everything the sandbox remembers, in memory: tokens, codes, the request log and rate-limit
 * counters. Modules read and write it; tests drive it through the public hooks (`issueAuthCode`,
 * `issueOAuthCode`, `expireAppTokens`, `reset`) or the same hooks over `/api/sandbox/*`.
 * Lifetimes follow the reference: app and user tokens 7200 s, auth codes 5 min and single use.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type DingTalkAccount, dingTalkAccounts, type SandboxOrg } from './org';

/** Access tokens (app and user) live 7200 s. */
export const TOKEN_TTL_SECONDS = 7200;
/** In-app (免登) and OAuth2 auth codes live 5 minutes. */
export const CODE_TTL_MS = 5 * 60_000;
/** Refresh tokens: about 30 days (UNCONFIRMED in the reference). */
export const REFRESH_TTL_MS = 30 * 24 * 3600_000;

/** One request the sandbox received (console and test API calls are not recorded). */
export interface CallRecord {
  method: string;
  path: string;
  /** Clock time (ms) when the request arrived. */
  at: number;
  /** HTTP status of the answer (old-API errors are 200 too, like DingTalk's). */
  status: number;
}

/** What an OAuth2 auth code was issued for. */
export interface OAuthGrant {
  unionid: string;
  clientId: string;
  redirectUri: string;
  /** Space-separated scopes the user consented to, e.g. `openid Contact.User.mobile`. */
  scope: string;
}

/** A user access token (from OAuth2), owned by the app that exchanged the code. */
export interface UserToken {
  unionid: string;
  clientId: string;
  scope: string;
}

interface Expiring {
  expiresAt: number;
}

/** Options for {@link SandboxState}. */
export interface SandboxStateOptions {
  org: SandboxOrg;
  now: () => number;
  qpsLimit: number;
}

/** In-memory state of one sandbox instance. */
export class SandboxState {
  readonly org: SandboxOrg;
  /**
   * The sandbox clock (ms): the injected clock plus {@link clockOffsetMs}. Tests shift it (over
   * `POST /api/sandbox/clock`) to expire codes and tokens without waiting.
   */
  readonly now: () => number;
  /** How far the sandbox clock runs ahead of the injected one (ms); set by the clock hook. */
  clockOffsetMs = 0;
  /** Calls allowed per app, per API, per clock second. */
  readonly qpsLimit: number;
  /** Every DingTalk-side request, oldest first, so tests can count (e.g. token fetches). */
  calls: CallRecord[] = [];

  private appTokens = new Map<string, Expiring & { appKey: string }>();
  private authCodes = new Map<string, Expiring & { userid: string }>();
  private oauthCodes = new Map<string, Expiring & OAuthGrant>();
  private userTokens = new Map<string, Expiring & UserToken>();
  private refreshTokens = new Map<string, Expiring & UserToken>();
  private qpsWindows = new Map<string, { second: number; count: number }>();
  private resetHooks: Array<() => void> = [];

  constructor(opts: SandboxStateOptions) {
    // Own copies of the member and department lists: the address-book hooks (contact module)
    // add, change and remove people and departments in this sandbox only, never in the demo data.
    this.org = { ...opts.org, employees: [...opts.org.employees], departments: [...opts.org.departments] };
    const base = opts.now;
    this.now = () => base() + this.clockOffsetMs;
    this.qpsLimit = opts.qpsLimit;
  }

  // ---- test hooks -------------------------------------------------------------------------

  /**
   * Issues an in-app (免登) auth code for an org member, as the DingTalk client does for
   * `dd.requestAuthCode`. Valid 5 minutes, single use. Throws for an unknown userid.
   */
  issueAuthCode(userid: string): string {
    if (!this.employee(userid)) throw new Error(`no employee with userid ${userid}`);
    const code = token();
    this.authCodes.set(code, { userid, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /**
   * Issues an OAuth2 auth code as if the account had consented on the login page. Valid 5 minutes,
   * single use, bound to the client. Throws for an unknown unionid.
   */
  issueOAuthCode(
    unionid: string,
    redirectUri: string,
    opts: { clientId?: string; scope?: string } = {},
  ): string {
    if (!this.account(unionid)) throw new Error(`no DingTalk account with unionid ${unionid}`);
    const code = token();
    this.oauthCodes.set(code, {
      unionid,
      redirectUri,
      clientId: opts.clientId ?? this.org.appKey,
      scope: opts.scope ?? 'openid',
      expiresAt: this.now() + CODE_TTL_MS,
    });
    return code;
  }

  /**
   * Invalidates every issued app access token, as if they had all expired. The product's cached
   * token then fails with `InvalidAuthentication` / errcode 88 sub_code 40014 and must refresh.
   * Returns how many tokens were dropped.
   */
  expireAppTokens(): number {
    const n = this.appTokens.size;
    this.appTokens.clear();
    return n;
  }

  /** Forgets all tokens, codes, calls and counters (and whatever later modules registered). */
  reset(): void {
    this.calls = [];
    for (const m of [this.appTokens, this.authCodes, this.oauthCodes, this.userTokens, this.refreshTokens]) {
      m.clear();
    }
    this.qpsWindows.clear();
    for (const hook of this.resetHooks) hook();
  }

  /** Lets a module clear its own state on {@link reset}. */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  // ---- used by the modules ----------------------------------------------------------------

  /** True when the pair is this org's app credentials. */
  checkCredentials(appKey: unknown, appSecret: unknown): boolean {
    return appKey === this.org.appKey && appSecret === this.org.appSecret;
  }

  /**
   * The app's access token. While one is valid DingTalk returns the same token and extends its
   * lifetime (reference §1), so the token string only changes after expiry.
   */
  appToken(appKey: string): { accessToken: string; expiresIn: number } {
    const expiresAt = this.now() + TOKEN_TTL_SECONDS * 1000;
    for (const [accessToken, t] of this.appTokens) {
      if (t.appKey !== appKey) continue;
      if (t.expiresAt > this.now()) {
        t.expiresAt = expiresAt;
        return { accessToken, expiresIn: TOKEN_TTL_SECONDS };
      }
      this.appTokens.delete(accessToken);
    }
    const accessToken = token();
    this.appTokens.set(accessToken, { appKey, expiresAt });
    return { accessToken, expiresIn: TOKEN_TTL_SECONDS };
  }

  /** The app a valid app token belongs to, or undefined for unknown/expired tokens. */
  appKeyOf(accessToken: string): string | undefined {
    return live(this.appTokens, accessToken, this.now())?.appKey;
  }

  /** Spends an in-app auth code: the userid it was issued for, or undefined if unknown/used/expired. */
  consumeAuthCode(code: string): string | undefined {
    const c = live(this.authCodes, code, this.now());
    this.authCodes.delete(code);
    return c?.userid;
  }

  /**
   * Spends an OAuth2 auth code issued to `clientId`. A code presented by another client is left
   * untouched (its owner may still use it).
   */
  consumeOAuthCode(code: string, clientId: string): OAuthGrant | undefined {
    const c = live(this.oauthCodes, code, this.now());
    if (!c || c.clientId !== clientId) return undefined;
    this.oauthCodes.delete(code);
    return c;
  }

  /** Issues a user access token and refresh token for an OAuth2 grant. */
  issueUserToken(grant: UserToken): { accessToken: string; refreshToken: string; expireIn: number } {
    const accessToken = token();
    const refreshToken = token();
    const user = { unionid: grant.unionid, clientId: grant.clientId, scope: grant.scope };
    this.userTokens.set(accessToken, { ...user, expiresAt: this.now() + TOKEN_TTL_SECONDS * 1000 });
    this.refreshTokens.set(refreshToken, { ...user, expiresAt: this.now() + REFRESH_TTL_MS });
    return { accessToken, refreshToken, expireIn: TOKEN_TTL_SECONDS };
  }

  /**
   * Spends a refresh token of `clientId`; the caller issues a new pair. Rotating (the old refresh
   * token stops working) is the strict choice: DingTalk's behaviour here is UNCONFIRMED.
   */
  consumeRefreshToken(refreshToken: string, clientId: string): UserToken | undefined {
    const t = live(this.refreshTokens, refreshToken, this.now());
    if (!t || t.clientId !== clientId) return undefined;
    this.refreshTokens.delete(refreshToken);
    return t;
  }

  /** The user behind a valid user access token. */
  userOf(accessToken: string): UserToken | undefined {
    return live(this.userTokens, accessToken, this.now());
  }

  /**
   * Counts one call of `api` by `appKey` in the current clock second; false when it is over the
   * limit (DingTalk answers 90018 / QpsLimitForAppkeyAndApi and the caller should back off).
   */
  takeQps(appKey: string, api: string): boolean {
    const key = `${appKey} ${api}`;
    const second = Math.floor(this.now() / 1000);
    const w = this.qpsWindows.get(key);
    if (!w || w.second !== second) {
      this.qpsWindows.set(key, { second, count: 1 });
      return true;
    }
    w.count += 1;
    return w.count <= this.qpsLimit;
  }

  /** An org member by userid. */
  employee(userid: string) {
    return this.org.employees.find((e) => e.userid === userid);
  }

  /** Any DingTalk account (member or outsider) by unionid. */
  account(unionid: string): DingTalkAccount | undefined {
    return dingTalkAccounts(this.org).find((a) => a.unionid === unionid);
  }

  /** The per-app openId of an account: stable, but different for each app (unlike unionId). */
  openId(unionid: string, clientId: string): string {
    return createHash('sha256').update(`${clientId}:${unionid}`).digest('base64url').slice(0, 22);
  }
}

/** 32 hex characters, the shape of DingTalk tokens and codes. */
function token(): string {
  return randomBytes(16).toString('hex');
}

/** The entry if present and not expired; expired entries are dropped. */
function live<T extends Expiring>(map: Map<string, T>, key: string, now: number): T | undefined {
  const v = map.get(key);
  if (v && v.expiresAt <= now) map.delete(key);
  return v && v.expiresAt > now ? v : undefined;
}
