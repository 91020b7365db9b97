/**
 * App access tokens (reference §1). Both hosts share one token store because one internal-app
 * token works on `api.dingtalk.com` and `oapi.dingtalk.com`. Token endpoints are anonymous and
 * exempt from the QPS limit.
 */
import type { SandboxModule } from '../context';
import { NEW_API, OLD_API, sendNewApiError, sendOldApiError, sendOldApiOk } from '../errors';
import { bodyOf } from '../gateway';

/** `POST /v1.0/oauth2/accessToken` (new) and `GET /gettoken` (old). */
export const tokensModule: SandboxModule = ({ router, state }) => {
  router.post('/v1.0/oauth2/accessToken', (ctx) => {
    const { appKey, appSecret } = bodyOf(ctx);
    if (!state.checkCredentials(appKey, appSecret)) return sendNewApiError(ctx, NEW_API.invalidClient);
    const t = state.appToken(appKey as string);
    ctx.body = { accessToken: t.accessToken, expireIn: t.expiresIn };
  });

  router.get('/gettoken', (ctx) => {
    const { appkey, appsecret } = ctx.query;
    if (!state.checkCredentials(appkey, appsecret)) return sendOldApiError(ctx, OLD_API.invalidCredentials);
    const t = state.appToken(appkey as string);
    sendOldApiOk(ctx, { access_token: t.accessToken, expires_in: t.expiresIn });
  });
};
