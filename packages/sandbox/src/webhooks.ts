import { createHmac, randomUUID } from 'node:crypto';
import { isLoopbackHost } from './net';

export interface WebhookTarget {
  /** Loopback URL, e.g. http://127.0.0.1:7007/api/events/http/github */
  url: string;
  /** Shared secret for `X-Hub-Signature-256`. */
  secret: string;
}

export interface DeliveryRecord {
  /** `X-GitHub-Delivery`. */
  id: string;
  event: string;
  action?: string;
  url: string;
  /** HTTP status of the last attempt; 0 when the connection failed. */
  status: number;
  attempts: number;
  at: string;
  error?: string;
}

export const HOOK_ID = 483920117;
const MAX_ATTEMPTS = 3;
const RETRY_DELAY_MS = 200;
const TIMEOUT_MS = 5000;

export class WebhookValidationError extends Error {}

/** Validates untrusted input (control endpoint or options); throws with a message. */
export function validateWebhookTarget(input: unknown): WebhookTarget {
  if (typeof input !== 'object' || input === null) {
    throw new WebhookValidationError('body must be { url, secret }');
  }
  const { url, secret } = input as Record<string, unknown>;
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new WebhookValidationError('secret must be a non-empty string');
  }
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new WebhookValidationError('url must be an absolute http(s) URL');
  }
  if (
    (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
    !isLoopbackHost(parsed.hostname)
  ) {
    throw new WebhookValidationError(
      'url must be a loopback http(s) URL (127.0.0.1, ::1 or localhost)',
    );
  }
  return { url: parsed.toString(), secret };
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Sends GitHub-shaped webhook deliveries, fire-and-forget with a small bounded retry. */
export class WebhookSender {
  private target: WebhookTarget | undefined;
  private readonly log: DeliveryRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  set(target: WebhookTarget | undefined): void {
    this.target = target ? validateWebhookTarget(target) : undefined;
  }

  current(): { url: string } | undefined {
    return this.target ? { url: this.target.url } : undefined;
  }

  deliveries(): DeliveryRecord[] {
    return this.log.map(d => ({ ...d }));
  }

  /** Resolves when every delivery started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
    }
  }

  send(event: string, payload: Record<string, unknown>): void {
    const target = this.target;
    if (!target) return;
    const body = JSON.stringify(payload);
    const record: DeliveryRecord = {
      id: randomUUID(),
      event,
      action: typeof payload.action === 'string' ? payload.action : undefined,
      url: target.url,
      status: 0,
      attempts: 0,
      at: new Date().toISOString(),
    };
    this.log.push(record);
    if (this.log.length > 1000) this.log.shift();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/sandbox',
      'x-github-event': event,
      'x-github-delivery': record.id,
      'x-github-hook-id': String(HOOK_ID),
      'x-github-hook-installation-target-type': 'repository',
      'x-hub-signature-256': signature(target.secret, body),
    };
    const attempt = async (): Promise<void> => {
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        record.attempts = i;
        try {
          const res = await fetch(target.url, {
            method: 'POST',
            headers,
            body,
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          record.status = res.status;
          record.error = undefined;
          await res.arrayBuffer().catch(() => undefined);
          if (res.status < 500) return;
        } catch (e) {
          record.status = 0;
          record.error = e instanceof Error ? e.message : String(e);
        }
        if (i < MAX_ATTEMPTS) {
          await new Promise(r => setTimeout(r, RETRY_DELAY_MS * i));
        }
      }
    };
    const p = attempt().finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}
