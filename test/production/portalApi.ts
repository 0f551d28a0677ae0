// What the replica tests do through the portal's API: a person's Backstage token (signed in
// through the company IdP in chromium, as a person does), the approvals inbox, decisions, the
// audit trail; and which replica holds a connection to an upstream (/proc, Linux).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { PendingApproval } from '@internal/plugin-lexecon-common';
import { launchBrowser, signInWithCompany } from '../e2e/browser';
import { CONTROL_URL, eventually, Replica } from './cluster';

export const LEXECON_API = 'default/component/lexecon-api';

/** `login`'s Backstage token, from a company sign-in on `replica` in chromium. */
export async function signInToken(login: string): Promise<string> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await signInWithCompany(page, login);
    const token = await page.evaluate(async () => {
      const response = await fetch('/api/auth/oidc/refresh?env=production', {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      const body = await response.json();
      return body?.backstageIdentity?.token as string | undefined;
    });
    assert.ok(token, `${login} has a Backstage token after signing in`);
    return token;
  } finally {
    await browser.close();
  }
}

export function api(
  replica: Replica,
  token: string,
  pathname: string,
  init: RequestInit & { githubToken?: string } = {},
) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  if (init.githubToken) headers.set('x-lexecon-github-token', init.githubToken);
  return fetch(`${replica.url}/api/lexecon${pathname}`, { ...init, headers });
}

/** The Lexecon API's run waiting on production, once the replica has read it. */
export async function waitingProductionRun(
  replica: Replica,
  token: string,
  runId?: number,
): Promise<PendingApproval> {
  return eventually(
    `a production run waiting${runId ? ` (run ${runId})` : ''} in ${
      replica.name
    }'s inbox`,
    async () => {
      const response = await api(replica, token, '/v1/approvals');
      if (!response.ok) return undefined;
      const { items } = (await response.json()) as { items: PendingApproval[] };
      return items.find(
        item =>
          item.entityRef === 'component:default/lexecon-api' &&
          item.environment === 'production' &&
          (runId === undefined || item.runId === runId),
      );
    },
    90_000,
  );
}

/** alex-kim approves the run through `replica` (GitHub reviewers mode: his GitHub token). */
export function approve(
  replica: Replica,
  token: string,
  run: { runId: number; environment: string },
  comment = 'Release notes read; rollback plan in place',
) {
  return api(
    replica,
    token,
    `/v1/entities/${LEXECON_API}/approvals/${run.runId}/${run.environment}`,
    {
      method: 'POST',
      body: JSON.stringify({ decision: 'approved', comment }),
      githubToken: 'sandbox-token-for-alex-kim',
    },
  );
}

export interface AuditRecordView {
  id: number;
  action: string;
  actor?: string;
  outcome?: string;
  runId?: number;
  [key: string]: unknown;
}

export async function auditRecords(
  replica: Replica,
  token: string,
): Promise<AuditRecordView[]> {
  const response = await api(
    replica,
    token,
    `/v1/audit?entityRef=${encodeURIComponent(
      'component:default/lexecon-api',
    )}&limit=200`,
  );
  assert.equal(response.status, 200, await response.clone().text());
  const body = (await response.json()) as { items: AuditRecordView[] };
  return body.items;
}

export async function verifyAuditChain(replica: Replica, token: string) {
  const response = await api(replica, token, '/v1/audit/verify');
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as { ok: boolean; [key: string]: unknown };
}

export interface SandboxRequest {
  source: string;
  method: string;
  path: string;
  status: number;
  at: string;
  fault?: string;
}

export async function sandboxRequests(): Promise<SandboxRequest[]> {
  const response = await fetch(`${CONTROL_URL}/requests`);
  return ((await response.json()) as { requests: SandboxRequest[] }).requests;
}

export async function setFaults(rules: unknown[]) {
  const response = await fetch(`${CONTROL_URL}/faults`, {
    method: rules.length ? 'PUT' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: rules.length ? JSON.stringify(rules) : undefined,
  });
  assert.ok(response.ok, await response.text());
}

/**
 * Whether the process holds an established TCP connection to 127.0.0.1:`port`: its socket inodes
 * (/proc/<pid>/fd) against the system's connection table (/proc/net/tcp).
 */
export function connectedTo(pid: number, port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address rem_address st ... inode (10th field)
      if (fields.length < 10) continue;
      const remote = fields[2];
      if (remote.endsWith(`:${hexPort}`) && fields[3] === '01') {
        inodes.add(fields[9]);
      }
    }
  }
  let fds: string[] = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some(fd => {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(target);
      return !!match && inodes.has(match[1]);
    } catch {
      return false;
    }
  });
}
