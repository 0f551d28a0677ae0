import { Router } from 'express';
import {
  CodeScanningAlertRecord,
  DependabotAlertRecord,
} from '../world/readiness';
import { CommitRecord } from '../world/types';
import { GithubRouteContext } from './context';
import { GithubRenderer } from './render';

function csv(value: string | undefined): string[] | undefined {
  return value
    ? value
        .split(',')
        .map(v => v.trim())
        .filter(Boolean)
    : undefined;
}

function alertState(a: { fixedAt: string | null; dismissedAt: string | null }) {
  if (a.fixedAt) return 'fixed';
  if (a.dismissedAt) return 'dismissed';
  return 'open';
}

function codeScanningAlert(
  r: GithubRenderer,
  a: CodeScanningAlertRecord,
  head: CommitRecord,
) {
  const url = `${r.repoApi}/code-scanning/alerts/${a.number}`;
  const st = alertState(a);
  return {
    number: a.number,
    created_at: a.createdAt,
    updated_at: a.fixedAt ?? a.dismissedAt ?? a.createdAt,
    url,
    html_url: `${r.repoWeb}/security/code-scanning/${a.number}`,
    instances_url: `${url}/instances`,
    state: st,
    fixed_at: a.fixedAt,
    dismissed_by: a.dismissedBy ? r.user(a.dismissedBy) : null,
    dismissed_at: a.dismissedAt,
    dismissed_reason: a.dismissedReason,
    dismissed_comment: a.dismissedComment,
    rule: {
      id: a.ruleId,
      name: a.ruleId,
      severity: a.severity,
      security_severity_level: a.securitySeverity,
      description: a.description,
      tags: a.tags,
    },
    tool: { name: 'CodeQL', guid: null, version: '2.19.3' },
    most_recent_instance: {
      ref: 'refs/heads/main',
      analysis_key: '.github/workflows/codeql.yml:analyze',
      environment: '{"language":"python"}',
      category: '/language:python',
      state: st,
      commit_sha: head.sha,
      message: { text: a.ruleName },
      location: {
        path: a.path,
        start_line: a.line,
        end_line: a.line,
        start_column: 5,
        end_column: 42,
      },
      classifications: [],
    },
  };
}

function dependabotAlert(r: GithubRenderer, a: DependabotAlertRecord) {
  const vuln = {
    package: { ecosystem: 'pip', name: a.package },
    severity: a.severity,
    vulnerable_version_range: a.vulnerableRange,
    first_patched_version: { identifier: a.patched },
  };
  return {
    number: a.number,
    state: alertState(a),
    dependency: {
      package: { ecosystem: 'pip', name: a.package },
      manifest_path: a.manifest,
      scope: 'runtime',
      relationship: 'direct',
    },
    security_advisory: {
      ghsa_id: a.ghsa,
      cve_id: a.cve,
      summary: a.summary,
      description: a.summary,
      vulnerabilities: [vuln],
      severity: a.severity,
      cvss: { vector_string: null, score: a.cvss },
      cwes: [],
      identifiers: [
        { value: a.ghsa, type: 'GHSA' },
        { value: a.cve, type: 'CVE' },
      ],
      references: [{ url: `https://nvd.nist.gov/vuln/detail/${a.cve}` }],
      published_at: a.createdAt,
      updated_at: a.createdAt,
      withdrawn_at: null,
    },
    security_vulnerability: vuln,
    url: `${r.repoApi}/dependabot/alerts/${a.number}`,
    html_url: `${r.repoWeb}/security/dependabot/${a.number}`,
    created_at: a.createdAt,
    updated_at: a.fixedAt ?? a.dismissedAt ?? a.createdAt,
    dismissed_at: a.dismissedAt,
    dismissed_by: a.dismissedBy ? r.user(a.dismissedBy) : null,
    dismissed_reason: a.dismissedReason,
    dismissed_comment: null,
    fixed_at: a.fixedAt,
    auto_dismissed_at: null,
  };
}

/** Code-scanning and Dependabot alerts: the security input of a release's readiness. */
export function registerAlertRoutes(repo: Router, ctx: GithubRouteContext) {
  repo.get('/code-scanning/alerts', (req, res) => {
    if (
      ctx.refuseWithout(
        req,
        res,
        'security_events',
        'code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository',
      )
    )
      return;
    const { world, renderer } = ctx.repo(res);
    const r = renderer();
    let list = [...world.codeScanningAlerts].reverse();
    const state = ctx.query(req, 'state');
    if (state) list = list.filter(a => alertState(a) === state);
    const severity = csv(ctx.query(req, 'severity'));
    if (severity) {
      list = list.filter(
        a =>
          severity.includes(a.securitySeverity) ||
          severity.includes(a.severity),
      );
    }
    const ref = ctx.query(req, 'ref');
    if (ref && ref !== 'refs/heads/main' && ref !== 'main') list = [];
    const head = world.commits[world.commits.length - 1];
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(a => codeScanningAlert(r, a, head)),
    );
  });

  repo.get('/dependabot/alerts', (req, res) => {
    if (
      ctx.refuseWithout(
        req,
        res,
        'security_events',
        'dependabot/alerts#list-dependabot-alerts-for-a-repository',
      )
    )
      return;
    const { world, renderer } = ctx.repo(res);
    const r = renderer();
    let list = [...world.dependabotAlerts].reverse();
    const state = csv(ctx.query(req, 'state'));
    if (state) list = list.filter(a => state.includes(alertState(a)));
    const severity = csv(ctx.query(req, 'severity'));
    if (severity) list = list.filter(a => severity.includes(a.severity));
    ctx.send(
      req,
      res,
      200,
      ctx.paginate(req, res, list).map(a => dependabotAlert(r, a)),
    );
  });
}
