import { Request, Response, Router } from 'express';
import { sha1Hex } from '../random';
import {
  BranchProtectionRecord,
  CollaboratorRole,
  governanceOf,
  ORG_ADMINS,
  PolicyDocumentRecord,
} from '../world/governance';
import { CommitRecord, SandboxWorld } from '../world/types';
import { GithubRouteContext } from './context';
import { DOCS } from './http';
import { GithubRenderer } from './render';

const POLICY_DIR = 'docs/policies';

/** Each role with the permissions it implies, as GitHub's `permissions` object spells them. */
const ROLE_PERMISSIONS: Record<CollaboratorRole, string[]> = {
  admin: ['admin', 'maintain', 'push', 'triage', 'pull'],
  maintain: ['maintain', 'push', 'triage', 'pull'],
  write: ['push', 'triage', 'pull'],
  triage: ['triage', 'pull'],
  read: ['pull'],
};
const PERMISSIONS = ['admin', 'maintain', 'push', 'triage', 'pull'];

function protectionBody(
  r: GithubRenderer,
  branch: string,
  p: BranchProtectionRecord,
) {
  const url = `${r.repoApi}/branches/${branch}/protection`;
  const flag = (enabled: boolean) => ({ enabled });
  return {
    url,
    required_status_checks: {
      url: `${url}/required_status_checks`,
      strict: true,
      contexts: p.requiredStatusChecks,
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: p.requiredStatusChecks.map(context => ({
        context,
        app_id: null,
      })),
    },
    required_pull_request_reviews: {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: p.dismissStaleReviews,
      require_code_owner_reviews: p.requireCodeOwnerReviews,
      required_approving_review_count: p.requiredApprovingReviews,
      require_last_push_approval: p.requireLastPushApproval,
    },
    required_signatures: {
      url: `${url}/required_signatures`,
      enabled: false,
    },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: flag(p.linearHistory),
    allow_force_pushes: flag(false),
    allow_deletions: flag(false),
    block_creations: flag(false),
    required_conversation_resolution: flag(false),
    lock_branch: flag(false),
    allow_fork_syncing: flag(false),
  };
}

/** The policy document's text: what `download_url` and a file's `content` hold. */
function policyText(doc: PolicyDocumentRecord): string {
  const last = doc.commits[doc.commits.length - 1];
  return `# ${
    doc.title
  }\n\nOwner: security@lexecon.ai\nLast reviewed: ${last.date.slice(
    0,
    10,
  )}\n\nThis policy is reviewed at least once a year.\n`;
}

function contentItem(r: GithubRenderer, path: string, text?: string) {
  const name = path.split('/').pop() ?? path;
  const isFile = text !== undefined;
  const sha = sha1Hex(isFile ? `blob ${text}` : `tree ${r.repoApi}/${path}`);
  const url = `${r.repoApi}/contents/${path}?ref=${r.world.defaultBranch}`;
  const gitUrl = `${r.repoApi}/git/${isFile ? 'blobs' : 'trees'}/${sha}`;
  const htmlUrl = `${r.repoWeb}/${isFile ? 'blob' : 'tree'}/${
    r.world.defaultBranch
  }/${path}`;
  return {
    type: isFile ? 'file' : 'dir',
    name,
    path,
    sha,
    size: isFile ? Buffer.byteLength(text) : 0,
    url,
    html_url: htmlUrl,
    git_url: gitUrl,
    download_url: isFile
      ? `${r.web}/raw/${r.world.owner}/${r.world.repo}/${r.world.defaultBranch}/${path}`
      : null,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

/** GitHub's base64 with a newline every 60 characters. */
function base64Lines(text: string): string {
  return `${Buffer.from(text)
    .toString('base64')
    .replace(/(.{60})/g, '$1\n')}\n`;
}

function contents(ctx: GithubRouteContext, req: Request, res: Response) {
  const { world, renderer } = ctx.repo(res);
  const r = renderer();
  const ref = ctx.query(req, 'ref');
  if (ref && ref !== world.defaultBranch) {
    ctx.fail(req, res, 404, `No commit found for the ref ${ref}`);
    return;
  }
  const path = (req.params[0] ?? '').replace(/^\/+|\/+$/g, '');
  const { policies } = governanceOf(world);
  if (path === 'docs' && policies.length) {
    ctx.send(req, res, 200, [contentItem(r, POLICY_DIR)]);
    return;
  }
  if (path === POLICY_DIR && policies.length) {
    ctx.send(
      req,
      res,
      200,
      policies.map(d =>
        contentItem(r, `${POLICY_DIR}/${d.name}`, policyText(d)),
      ),
    );
    return;
  }
  const doc = policies.find(d => `${POLICY_DIR}/${d.name}` === path);
  if (!doc) {
    ctx.fail(
      req,
      res,
      404,
      'Not Found',
      `${DOCS}/repos/contents#get-repository-content`,
    );
    return;
  }
  const text = policyText(doc);
  ctx.send(req, res, 200, {
    ...contentItem(r, path, text),
    content: base64Lines(text),
    encoding: 'base64',
  });
}

/** The commits of the default branch touching `path` (all when none), newest first. */
function commitsOf(world: SandboxWorld, path: string | undefined) {
  const { policies } = governanceOf(world);
  const ofPolicies = (docs: PolicyDocumentRecord[]) =>
    docs.flatMap(d => d.commits);
  let list: CommitRecord[];
  if (!path) list = [...world.commits, ...ofPolicies(policies)];
  else if (path === 'docs' || path === POLICY_DIR) list = ofPolicies(policies);
  else {
    list = ofPolicies(policies.filter(d => `${POLICY_DIR}/${d.name}` === path));
  }
  return list.sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
}

/**
 * What SOC 2 evidence reads of a repository: branch protection and the rulesets of a branch, its
 * collaborators, the policy documents in `docs/policies` and the commits that last touched them.
 */
export function registerGovernanceRoutes(
  repo: Router,
  ctx: GithubRouteContext,
) {
  repo.get('/branches/:branch/protection', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const docs = `${DOCS}/branches/branch-protection#get-branch-protection`;
    if (req.params.branch !== world.defaultBranch) {
      ctx.fail(req, res, 404, 'Branch not found', docs);
      return;
    }
    const { protection } = governanceOf(world);
    if (!protection) ctx.fail(req, res, 404, 'Branch not protected', docs);
    else {
      ctx.send(
        req,
        res,
        200,
        protectionBody(renderer(), req.params.branch, protection),
      );
    }
  });

  repo.get('/rules/branches/:branch', (req, res) => {
    const { world } = ctx.repo(res);
    // Rules apply to branch names, existing or not: an unmatched name has none.
    const rules =
      req.params.branch === world.defaultBranch
        ? governanceOf(world).rules
        : [];
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, rules).map(rule => ({
        type: rule.type,
        ...(rule.parameters ? { parameters: rule.parameters } : {}),
        ruleset_source_type: 'Repository',
        ruleset_source: `${world.owner}/${world.repo}`,
        ruleset_id: rule.rulesetId,
      })),
    );
  });

  repo.get('/collaborators', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const affiliation = ctx.query(req, 'affiliation') ?? 'all';
    const permission = ctx.query(req, 'permission');
    if (
      !['outside', 'direct', 'all'].includes(affiliation) ||
      (permission !== undefined && !PERMISSIONS.includes(permission))
    ) {
      ctx.fail(
        req,
        res,
        422,
        'Validation Failed',
        `${DOCS}/collaborators/collaborators#list-repository-collaborators`,
      );
      return;
    }
    const roles = new Map<string, CollaboratorRole>();
    if (affiliation !== 'outside') {
      for (const c of governanceOf(world).collaborators) {
        roles.set(c.login, c.role);
      }
    }
    // Organisation owners administer every repository; GitHub counts them under `all`.
    if (affiliation === 'all') {
      for (const login of ORG_ADMINS) roles.set(login, 'admin');
    }
    const list = [...roles.entries()]
      .filter(
        ([, role]) =>
          !permission || ROLE_PERMISSIONS[role].includes(permission),
      )
      .sort(([a], [b]) => a.localeCompare(b));
    const r = renderer();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(([login, role]) => ({
        ...r.user(login),
        permissions: Object.fromEntries(
          PERMISSIONS.map(p => [p, ROLE_PERMISSIONS[role].includes(p)]),
        ),
        role_name: role,
      })),
    );
  });

  repo.get('/contents/*', (req, res) => contents(ctx, req, res));

  repo.get('/commits', (req, res) => {
    const { world, renderer } = ctx.repo(res);
    const sha = ctx.query(req, 'sha');
    if (sha && sha !== world.defaultBranch) {
      ctx.fail(req, res, 404, `No commit found for SHA: ${sha}`);
      return;
    }
    const since = Date.parse(ctx.query(req, 'since') ?? '');
    const until = Date.parse(ctx.query(req, 'until') ?? '');
    const list = commitsOf(world, ctx.query(req, 'path')).filter(
      c =>
        (Number.isNaN(since) || Date.parse(c.date) >= since) &&
        (Number.isNaN(until) || Date.parse(c.date) <= until),
    );
    const r = renderer();
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(c => r.commit(c)),
    );
  });
}
