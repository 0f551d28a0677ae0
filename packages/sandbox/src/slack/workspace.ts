import { EMPLOYEES } from '../oidc/directory';

/** The portal's bot token (a Slack app's bot user OAuth token starts with `xoxb-`). */
export const SLACK_BOT_TOKEN = 'xoxb-sandbox-lexecon-portal-bot-token';

export const SLACK_TEAM = {
  id: 'T0LEXECON',
  name: 'Lexecon',
  domain: 'lexecon',
};

/** The portal's bot user in the workspace. */
export const SLACK_BOT = {
  userId: 'U0LEXPORTAL',
  botId: 'B0LEXPORTAL',
  appId: 'A0LEXPORTAL',
  name: 'lexecon-portal',
};

export interface SlackChannel {
  id: string;
  name: string;
  /** Whether the bot was invited: posting elsewhere is `not_in_channel`. */
  botIsMember: boolean;
}

export interface SlackMember {
  id: string;
  name: string;
  realName: string;
  email: string;
}

/**
 * The workspace's channels: where the seeds want the pipeline to speak ("Slack: Readiness <90%",
 * "Slack: Staging tests fail" to the team; alerts `slack:#alerts` to on-call), and one the bot
 * was never invited to.
 */
export const SLACK_CHANNELS: readonly SlackChannel[] = [
  { id: 'C0LEXRELEASES', name: 'lexecon-releases', botIsMember: true },
  { id: 'C0LEXALERTS', name: 'lexecon-alerts', botIsMember: true },
  { id: 'C0LEXGENERAL', name: 'general', botIsMember: false },
];

function memberId(login: string): string {
  return `U0${login.replace(/[^a-z]/gi, '').toUpperCase()}`;
}

/** Everyone in the company directory has a Slack account under their work email. */
export const SLACK_MEMBERS: readonly SlackMember[] = EMPLOYEES.map(e => ({
  id: memberId(e.login),
  name: e.login,
  realName: e.name,
  email: e.email,
}));

/** A message the bot posted, as Slack keeps it (attachments and blocks parsed). */
export interface SlackMessage {
  /** The conversation's ID: a channel's `C…`, or the `D…` of a direct message. */
  channel: string;
  /** The channel's name, or the member's name for a direct message. */
  channelName: string;
  ts: string;
  text?: string;
  username?: string;
  attachments?: unknown[];
  blocks?: unknown[];
  /** Set once `chat.update` replaced it. */
  edited?: { user: string; ts: string };
}

/** A Web API error code, answered as `{ ok: false, error }`. */
export class SlackApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

interface Conversation {
  id: string;
  name: string;
}

/** The sandbox's Slack workspace: who and which channels exist, and what the bot posted. */
export class SlackWorkspace {
  private readonly messages: SlackMessage[] = [];
  private lastTsMicros = 0;

  constructor(private readonly clock: () => number) {}

  /**
   * Where `chat.postMessage` delivers: a channel by ID or name (with or without `#`), or a member's
   * ID, which opens a direct message with them.
   */
  private conversation(target: string): Conversation {
    const name = target.replace(/^#/, '');
    const channel = SLACK_CHANNELS.find(
      c => c.id === target || c.name === name,
    );
    if (channel) {
      if (!channel.botIsMember) throw new SlackApiError('not_in_channel');
      return channel;
    }
    const member = SLACK_MEMBERS.find(m => m.id === target);
    if (member) return { id: `D${member.id.slice(1)}`, name: member.name };
    const direct = SLACK_MEMBERS.find(m => `D${m.id.slice(1)}` === target);
    if (direct) return { id: target, name: direct.name };
    throw new SlackApiError('channel_not_found');
  }

  /** Slack's message timestamps: seconds with six digits, unique within the workspace here. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(this.clock() * 1000, this.lastTsMicros + 1);
    const seconds = Math.floor(this.lastTsMicros / 1_000_000);
    const micros = this.lastTsMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }

  post(
    content: Omit<SlackMessage, 'channel' | 'channelName' | 'ts'> & {
      channel: string;
    },
  ): SlackMessage {
    const conversation = this.conversation(content.channel);
    if (
      !content.text &&
      !content.attachments?.length &&
      !content.blocks?.length
    ) {
      throw new SlackApiError('no_text');
    }
    const message: SlackMessage = {
      ...content,
      channel: conversation.id,
      channelName: conversation.name,
      ts: this.nextTs(),
    };
    this.messages.push(message);
    return message;
  }

  update(
    channel: string,
    ts: string,
    content: Pick<SlackMessage, 'text' | 'attachments' | 'blocks'>,
  ): SlackMessage {
    const conversation = this.conversation(channel);
    const message = this.messages.find(
      m => m.channel === conversation.id && m.ts === ts,
    );
    if (!message) throw new SlackApiError('message_not_found');
    Object.assign(message, content, {
      edited: { user: SLACK_BOT.userId, ts: this.nextTs() },
    });
    return message;
  }

  lookupByEmail(email: string): SlackMember {
    const member = SLACK_MEMBERS.find(
      m => m.email.toLowerCase() === email.toLowerCase(),
    );
    if (!member) throw new SlackApiError('users_not_found');
    return member;
  }

  /** Everything posted so far, oldest first (copies). */
  list(): SlackMessage[] {
    return this.messages.map(m => structuredClone(m));
  }

  clear(): void {
    this.messages.length = 0;
  }
}
