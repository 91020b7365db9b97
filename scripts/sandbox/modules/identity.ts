/**
 * Employee identity inside DingTalk (免登, reference §2): the H5 app gets an auth code from the
 * client (here: the console's "open as" button, via `state.issueAuthCode`) and the server swaps it
 * for the user with the app token.
 */
import type { SandboxModule } from '../context';
import { OLD_API, sendOldApiError, sendOldApiOk } from '../errors';
import { bodyOf, oldApi, str } from '../gateway';

/** `POST /topapi/v2/user/getuserinfo`. */
export const identityModule: SandboxModule = ({ router, state }) => {
  router.post('/topapi/v2/user/getuserinfo', oldApi(state), (ctx) => {
    const code = str(bodyOf(ctx).code);
    const userid = code ? state.consumeAuthCode(code) : undefined;
    const e = userid ? state.employee(userid) : undefined;
    if (!e) return sendOldApiError(ctx, OLD_API.noSuchAuthCode);
    // The demo's product admin stands in for the org's DingTalk main admin (sys_level 1);
    // everyone else is an ordinary member (0).
    const admin = e.roles.includes('admin');
    sendOldApiOk(ctx, {
      result: {
        userid: e.userid,
        unionid: e.unionid,
        name: e.name,
        device_id: `sandbox-device-${e.userid}`,
        sys: admin,
        sys_level: admin ? 1 : 0,
        associated_unionid: '',
      },
    });
  });
};
