/**
 * Turns a channel-neutral {@link BotMessage} into each channel's wire format (reference §6):
 * robot `msgKey`/`msgParam`, work-notification `action_card`, custom-webhook `actionCard`.
 * Buttons become ActionCard buttons that open the mini-app page: inside DingTalk through the
 * micro-app deep link ({@link dingtalkAppLink}), so a tap opens the app signed in by 免登.
 */
import {
  absoluteUrl,
  type BotMessage,
  botLocale,
  isTemplate,
  renderMessage,
  type TemplateData,
} from '../../../bot/messages';
import { type DingTalkApp, dingtalkAppLink } from '../../../shared/routes';
import type { WebhookBody, WorkNoticeMsg } from '../../kernel/integrations/dingtalk/messages';
import type { RobotMessage } from '../../kernel/integrations/dingtalk/robot';

/** What a message row's payload holds. */
export interface MessagePayload {
  /** A template of `bot/messages.ts` and its data, rendered at send time in `locale`. */
  template?: string;
  data?: Record<string, unknown>;
  locale?: string;
  /** Or a message rendered at enqueue time (chat answers, tests, benchmarks). */
  message?: BotMessage;
  /** Keep the provider's processQueryKey so read status can be asked later. */
  trackRead?: boolean;
  /** Urgent re-send: only if the row with this idempotency key is still unread by the recipient. */
  ifUnreadOf?: string;
  /** Set after sending when `trackRead`. */
  providerRef?: string;
}

/** Renders the payload's message; throws for an unknown template (a permanent failure). */
export function messageOf(payload: MessagePayload): BotMessage {
  if (payload.message) return payload.message;
  if (!payload.template || !isTemplate(payload.template))
    throw new Error(`unknown template "${payload.template ?? ''}"`);
  return renderMessage(
    payload.template,
    payload.data as TemplateData[typeof payload.template],
    botLocale(payload.locale),
  );
}

/** Where links of DingTalk messages point: the app's public URL and its DingTalk micro-app. */
export interface LinkContext {
  publicUrl: string;
  app: DingTalkApp;
}

/**
 * A button's URL as a DingTalk chat should carry it: pages of the mini-app become the micro-app
 * deep link (opened in DingTalk, signed in); downloads (`/api/...`, e.g. a signed .ics link)
 * and other sites stay plain https links, which DingTalk opens in its browser.
 */
export function dingtalkButtonUrl(url: string, c: LinkContext): string {
  const absolute = absoluteUrl(url, c.publicUrl);
  const base = c.publicUrl.replace(/\/+$/, '');
  if (!absolute.startsWith(`${base}/`) && absolute !== base) return absolute;
  const path = absolute.slice(base.length);
  if (path.startsWith('/api/')) return absolute;
  return dingtalkAppLink(c.app, absolute);
}

/** The link context of this deployment (public URL, corpId, agentId from the configuration). */
export function linkContextOf(config: {
  publicUrl: string;
  dingtalk: { corpId: string; agentId: number };
}): LinkContext {
  return {
    publicUrl: config.publicUrl,
    app: { corpId: config.dingtalk.corpId, agentId: config.dingtalk.agentId },
  };
}

const withLinks = (m: BotMessage, c: LinkContext) =>
  m.buttons.map((b) => ({ title: b.title, url: dingtalkButtonUrl(b.url, c) }));

const urgentTitle = (m: BotMessage) => (m.urgent ? `❗${m.title}` : m.title);

/** Markdown body with the title as a heading; untitled answers are just the text. */
const body = (m: BotMessage) => (m.title ? `### ${urgentTitle(m)}\n\n${m.text}` : m.text);

/** DingTalk requires a title (shown in the conversation list); untitled answers use their text. */
const titleOf = (m: BotMessage) =>
  urgentTitle(m) ||
  m.text
    .replace(/[#*`\n]/g, ' ')
    .trim()
    .slice(0, 30);

/** Robot 1:1 / group message: markdown without buttons, ActionCard with one, 2 horizontal, 3–5 vertical. */
export function toRobotMessage(m: BotMessage, links: LinkContext): RobotMessage {
  const title = titleOf(m);
  const text = body(m);
  const buttons = withLinks(m, links).slice(0, 5);
  if (!buttons.length) return { msgKey: 'sampleMarkdown', msgParam: { title, text } };
  if (buttons.length === 1)
    return {
      msgKey: 'sampleActionCard',
      msgParam: { title, text, singleTitle: buttons[0].title, singleURL: buttons[0].url },
    };
  if (buttons.length === 2)
    return {
      msgKey: 'sampleActionCard6',
      msgParam: {
        title,
        text,
        buttonTitle1: buttons[0].title,
        buttonUrl1: buttons[0].url,
        buttonTitle2: buttons[1].title,
        buttonUrl2: buttons[1].url,
      },
    };
  const param: Record<string, string> = { title, text };
  buttons.forEach((b, i) => {
    param[`actionTitle${i + 1}`] = b.title;
    param[`actionURL${i + 1}`] = b.url;
  });
  return { msgKey: `sampleActionCard${buttons.length}`, msgParam: param };
}

/** Work notification `msg`: markdown, or `action_card` with buttons. */
export function toWorkNotice(m: BotMessage, links: LinkContext): WorkNoticeMsg {
  const title = titleOf(m);
  const buttons = withLinks(m, links);
  if (!buttons.length) return { msgtype: 'markdown', markdown: { title, text: body(m) } };
  return {
    msgtype: 'action_card',
    action_card: {
      title,
      markdown: body(m),
      ...(buttons.length === 1
        ? { single_title: buttons[0].title, single_url: buttons[0].url }
        : {
            btn_orientation: '1',
            btn_json_list: buttons.map((b) => ({ title: b.title, action_url: b.url })),
          }),
    },
  };
}

/** Custom webhook robot / sessionWebhook body: markdown, or `actionCard` with buttons. */
export function toWebhookBody(m: BotMessage, links: LinkContext): WebhookBody {
  const title = titleOf(m);
  const text = body(m);
  const buttons = withLinks(m, links);
  if (!buttons.length) return { msgtype: 'markdown', markdown: { title, text } };
  return {
    msgtype: 'actionCard',
    actionCard: {
      title,
      text,
      ...(buttons.length === 1
        ? { singleTitle: buttons[0].title, singleURL: buttons[0].url }
        : { btnOrientation: '1', btns: buttons.map((b) => ({ title: b.title, actionURL: b.url })) }),
    },
  };
}
