import type * as ContactClientModule from '@alicloud/dingtalk/dist/contact_1_0/client';
import type ContactClient from '@alicloud/dingtalk/dist/contact_1_0/client';
import type * as OAuthModule from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import type { DingTalkCore } from './client';
import { classifySdkError } from './errors';
import { lazySdk } from './sdk';

const $oauth = lazySdk<typeof OAuthModule>('@alicloud/dingtalk/dist/oauth2_1_0/client');
const $contact = lazySdk<typeof ContactClientModule>('@alicloud/dingtalk/dist/contact_1_0/client');

/** A DingTalk account as `contact/users/me` describes it. Keyed on unionId. */
export interface DingTalkAccount {
  unionId: string;
  openId: string | null;
  nick: string;
  mobile: string | null;
  email: string | null;
  avatarUrl: string | null;
}

/**
 * DingTalk OAuth2 web login for people outside the organisation (dingtalk-reference.md §3).
 * Any DingTalk account can log in; the caller decides what that account may do.
 */
export class DingTalkOAuth {
  #lazyContact: ContactClient | null = null;

  /** Made on first call: a process that never calls this API never loads its SDK module. */
  get #contact(): ContactClient {
    if (!this.#lazyContact) this.#lazyContact = new $contact.default(this.core.sdkConfig());
    return this.#lazyContact;
  }

  constructor(private readonly core: DingTalkCore) {}

  /** The login.dingtalk.com URL to send the browser to. `prompt=consent` is required. */
  authorizeUrl(redirectUri: string, state: string): string {
    const q = new URLSearchParams({
      client_id: this.core.settings.appKey,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      prompt: 'consent',
      state,
    });
    return `${this.core.settings.loginUrl}/oauth2/auth?${q.toString()}`;
  }

  /** Exchanges the redirect's authCode for the account behind it. */
  async accountForCode(code: string): Promise<DingTalkAccount> {
    let userToken: string;
    try {
      const res = await this.core.oauthClient.getUserToken(
        new $oauth.GetUserTokenRequest({
          clientId: this.core.settings.appKey,
          clientSecret: this.core.settings.appSecret,
          code,
          grantType: 'authorization_code',
        }),
      );
      userToken = res.body?.accessToken ?? '';
    } catch (err) {
      throw classifySdkError(err);
    }
    try {
      const me = await this.#contact.getUserWithOptions(
        'me',
        new $contact.GetUserHeaders({ xAcsDingtalkAccessToken: userToken }),
        this.core.runtime(),
      );
      const b = me.body;
      if (!b?.unionId) throw new Error('contact/users/me returned no unionId');
      return {
        unionId: b.unionId,
        openId: b.openId ?? null,
        nick: b.nick ?? '',
        mobile: b.mobile ?? null,
        email: b.email ?? null,
        avatarUrl: b.avatarUrl ?? null,
      };
    } catch (err) {
      throw classifySdkError(err);
    }
  }
}
