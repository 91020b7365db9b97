/**
 * The error codes the mini-app makes up itself (status 0: no answer, a sign-in flow step, an
 * upload to storage), with their texts. Part of the catalogue in `errors.ts` (spread into
 * `ERRORS`), kept in their own module because the mini-app needs them in its first load (they are
 * what it shows offline), while the rest of the catalogue loads only when a screen or a failed
 * request needs it (issue 18: the candidate's first-load budget).
 */
export const CLIENT_ERRORS = {
  network_error: {
    status: 0,
    zh: '网络连接失败，请检查网络后重试。',
    en: 'Network error. Check your connection and try again.',
  },
  bad_response: {
    status: 0,
    zh: '服务器返回了无法识别的数据，请稍后重试。',
    en: 'The server sent something unexpected. Please try again later.',
  },
  unauthorized: {
    status: 0,
    zh: '登录已失效，请重新登录。',
    en: 'Your session has ended. Please sign in again.',
  },
  config_unavailable: {
    status: 0,
    zh: '暂时无法连接服务器，请稍后重试。',
    en: 'Cannot reach the server right now. Please try again later.',
  },
  oauth_cancelled: {
    status: 0,
    zh: '你取消了钉钉授权。如需继续，请重新登录。',
    en: 'You cancelled the DingTalk authorisation. Sign in again to continue.',
  },
  oauth_callback_invalid: {
    status: 0,
    zh: '钉钉登录返回的信息不完整，请重新登录。',
    en: 'DingTalk returned an incomplete sign-in. Please sign in again.',
  },
  dingtalk_auth_failed: {
    status: 0,
    zh: '无法从钉钉获取登录授权，请稍后重试。',
    en: 'Could not get sign-in authorisation from DingTalk. Please try again.',
  },
  upload_failed: {
    status: 0,
    zh: '录制上传失败，请检查网络后重试。',
    en: 'The recording could not be uploaded. Check your connection and try again.',
  },
  part_failed: {
    status: 0,
    zh: '录制上传中断，请检查网络后重试。',
    en: 'The upload was interrupted. Check your connection and try again.',
  },
  unknown: {
    status: 0,
    zh: '出现了问题，请稍后重试。',
    en: 'Something went wrong. Please try again later.',
  },
} as const satisfies Record<string, { readonly status: 0; readonly zh: string; readonly en: string }>;

/** A code the mini-app makes up itself. */
export type ClientMadeErrorCode = keyof typeof CLIENT_ERRORS;
