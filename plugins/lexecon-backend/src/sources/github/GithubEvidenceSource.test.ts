import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  GITHUB_TOKEN_WITHOUT_SECURITY_EVENTS,
  Sandbox,
  startSandbox,
} from '@internal/sandbox';
import {
  EvidenceObservation,
  GithubEvidenceFacts,
  usableGithubEvidence,
} from '@internal/plugin-lexecon-common';
import { Knex } from 'knex';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { LEXECON_CATALOG } from '../../evidence/catalog/loadCatalog';
import { GithubEvidenceStore } from '../../evidence/github/GithubEvidenceStore';
import { resolveEntityTarget } from '../../EntityTarget';
import { UpstreamError } from '../types';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubEvidenceSource } from './GithubEvidenceSource';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

const service = (name: string, repo = name) =>
  resolveEntityTarget({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'github.com/project-slug': `lexecon-ai/${repo}` },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'platform' },
  } as Entity);

const LEXECON_API = service('lexecon-api', 'lexecon');

type Part = Exclude<
  keyof GithubEvidenceFacts,
  'repository' | 'repositoryUrl' | 'defaultBranch'
>;

/** The facts of a readable part (the test fails when GitHub would not show it). */
function readablePart<K extends Part>(
  facts: GithubEvidenceFacts,
  key: K,
): Extract<GithubEvidenceFacts[K], { readable: true }> {
  const part = facts[key];
  if (!part.readable) {
    throw new Error(`${key} was not readable: ${part.why}`);
  }
  return part as Extract<GithubEvidenceFacts[K], { readable: true }>;
}

describe.each(databases.eachSupportedId())(
  'GithubEvidenceSource against the sandbox on %s',
  id => {
    let sandbox: Sandbox;
    let knex: Knex;
    let store: GithubEvidenceStore;
    /** The portal's clock: a later read moves it on. */
    let clock = NOW;
    /** What the source handed the evidence store, newest last. */
    let recorded: EvidenceObservation[] = [];
    const verdicts = (entityRef: string) =>
      Object.fromEntries(
        recorded
          .filter(o => o.entityRef === entityRef)
          .map(o => [o.itemId, o.status]),
      );

    const source = (token = sandbox.githubToken) => {
      const host = new URL(sandbox.githubUrl).host;
      const config = new ConfigReader({
        integrations: {
          github: [{ host, apiBaseUrl: sandbox.githubUrl, token }],
        },
      });
      const clients = new GithubClientFactory(config, {
        host,
        logger: mockServices.logger.mock(),
        timeoutMs: 2000,
        retries: 0,
      });
      return new GithubEvidenceSource(clients, {
        store,
        evidence: {
          items: LEXECON_CATALOG.flatMap(c => c.items),
          record: async observations => {
            recorded.push(...observations);
          },
        },
        timeoutMs: 2000,
        now: () => clock,
      });
    };

    const latestFacts = async (entityRef: string) => {
      const { latest } = await store.readGithubEvidence(entityRef);
      if (!latest) throw new Error(`no observation of ${entityRef}`);
      return latest.facts;
    };

    beforeAll(async () => {
      sandbox = await startSandbox({ now: NOW, quiet: true });
      knex = await migratedDatabase(databases, id);
      store = new GithubEvidenceStore(knex);
    });
    afterAll(() => sandbox.stop());
    beforeEach(async () => {
      clock = NOW;
      recorded = [];
      sandbox.clearFaults();
      sandbox.clearRequests();
      await knex('lexecon_github_evidence').delete();
      await knex('lexecon_github_evidence_reads').delete();
    });

    it("stores the Lexecon API's evidence with when it was collected and when it expires", async () => {
      const summary = await source().fetch(LEXECON_API);
      expect(summary).toEqual({
        collected: NOW.toISOString(),
        expires: '2026-11-21T17:00:00.000Z',
        notReadable: [],
      });
      const state = await store.readGithubEvidence(LEXECON_API.entityRef);
      expect(state.failure).toBeUndefined();
      expect(state.latest).toMatchObject({
        entityRef: LEXECON_API.entityRef,
        collected: summary.collected,
        expires: summary.expires,
      });
      const facts = state.latest!.facts;
      expect(facts).toMatchObject({
        repository: 'lexecon-ai/lexecon',
        defaultBranch: 'main',
      });
      expect(readablePart(facts, 'branchProtection')).toMatchObject({
        reviewRequired: true,
        requiredApprovingReviews: 1,
        classic: { enforceAdmins: true, requiredStatusChecks: ['test'] },
      });
      const reviewers = readablePart(facts, 'productionReviewers');
      expect(reviewers).toMatchObject({
        environment: 'production',
        exists: true,
        preventSelfReview: true,
      });
      expect(reviewers.reviewers).toContainEqual({
        type: 'Team',
        name: 'release-approvers',
      });
      expect(readablePart(facts, 'repositoryAdmins').logins).toEqual([
        'alex-kim',
        'lena-fischer',
      ]);
      expect(readablePart(facts, 'organizationAdmins').logins).toHaveLength(2);
      expect(readablePart(facts, 'dependabotAlerts').open).toEqual([]);
      expect(readablePart(facts, 'codeScanningAlerts').open).toEqual([]);
    });

    it('dates each policy document by its last commit: the data retention policy is 395 days old', async () => {
      await source().fetch(LEXECON_API);
      const policies = readablePart(
        await latestFacts(LEXECON_API.entityRef),
        'policies',
      );
      expect(policies.found).toBe(true);
      const ages = Object.fromEntries(
        policies.documents.map(d => [
          d.path,
          Math.round((NOW.getTime() - Date.parse(d.lastReviewed!)) / DAY),
        ]),
      );
      expect(Object.keys(ages)).toHaveLength(5);
      expect(ages['docs/policies/data-retention-policy.md']).toBe(395);
      expect(Object.values(ages).filter(days => days > 365)).toEqual([395]);
    });

    it("measures policy-engine's open alerts against the patch SLA: the 72-hour-old critical one breached it", async () => {
      const policyEngine = service('policy-engine');
      await source().fetch(policyEngine);
      const facts = await latestFacts(policyEngine.entityRef);
      const alerts = [
        ...readablePart(facts, 'dependabotAlerts').open,
        ...readablePart(facts, 'codeScanningAlerts').open,
      ].map(a => [a.tool, a.severity, a.ageHours, a.slaHours, a.breached]);
      expect(alerts).toEqual(
        expect.arrayContaining([
          ['dependabot', 'critical', 72, 24, true],
          ['dependabot', 'medium', 240, 720, false],
          ['code-scanning', 'high', 48, 168, false],
        ]),
      );
      expect(alerts).toHaveLength(3);
    });

    it('counts four admins on decision-ledger, and finds web-console protected by a ruleset', async () => {
      const ledger = service('decision-ledger');
      const console = service('web-console');
      await source().fetch(ledger);
      await source().fetch(console);
      expect(
        readablePart(await latestFacts(ledger.entityRef), 'repositoryAdmins')
          .logins,
      ).toHaveLength(4);
      expect(
        readablePart(await latestFacts(console.entityRef), 'branchProtection'),
      ).toMatchObject({
        classic: null,
        reviewRequired: true,
        requiredApprovingReviews: 1,
      });
    });

    it("judges the catalog's GitHub items: the retention policy overdue, policy-engine's patch SLA and decision-ledger's admins failing", async () => {
      const ledger = service('decision-ledger');
      const policyEngine = service('policy-engine');
      for (const s of [LEXECON_API, ledger, policyEngine]) {
        await source().fetch(s);
      }
      expect(verdicts(LEXECON_API.entityRef)).toEqual({
        'cc6.1-branch-protection': 'passing',
        'cc6.1-environment-reviewers': 'passing',
        'cc6.2-admin-count': 'passing',
        'cc7.1-vulnerability-sla': 'passing',
        'gdpr32-vulnerability-sla': 'passing',
        'cc7.4-incident-response-plan': 'passing',
        'cc8.1-change-policy': 'passing',
        'c1-security-policy': 'passing',
        'gdpr5-retention-policy': 'overdue',
      });
      expect(verdicts(ledger.entityRef)).toMatchObject({
        'cc6.2-admin-count': 'failing',
        'cc7.1-vulnerability-sla': 'passing',
      });
      expect(verdicts(policyEngine.entityRef)).toMatchObject({
        'cc6.2-admin-count': 'passing',
        'cc7.1-vulnerability-sla': 'failing',
        'gdpr32-vulnerability-sla': 'failing',
      });
      // Policies are kept in the Lexecon API's repository only.
      expect(verdicts(ledger.entityRef)).not.toHaveProperty(
        'gdpr5-retention-policy',
      );
      const retention = recorded.find(
        o => o.itemId === 'gdpr5-retention-policy',
      );
      expect(retention?.reason).toMatch(
        /^docs\/policies\/data-retention-policy\.md last reviewed \d{4}-\d\d-\d\d \(395 days ago\); its annual review was due /,
      );
    });

    it('makes only conditional requests on the second read, each answered 304, and stores a second observation', async () => {
      const read = source();
      await read.fetch(LEXECON_API);
      const first = sandbox.requests().filter(r => r.source === 'github');
      expect(first.length).toBeGreaterThan(10);
      expect(first.every(r => r.status === 200)).toBe(true);
      // Each request asks what GitHub documents, and nothing of the entity's annotations.
      expect(first.filter(r => /workflows=|ciWorkflow=/.test(r.path))).toEqual(
        [],
      );

      sandbox.clearRequests();
      clock = new Date(NOW.getTime() + DAY);
      await read.fetch(LEXECON_API);
      const second = sandbox.requests().filter(r => r.source === 'github');
      expect(second.map(r => r.path).sort()).toEqual(
        first.map(r => r.path).sort(),
      );
      expect(second.every(r => r.status === 304)).toBe(true);
      const rows = await knex('lexecon_github_evidence').where({
        entity_ref: LEXECON_API.entityRef,
      });
      expect(rows).toHaveLength(2);
      const { latest } = await store.readGithubEvidence(LEXECON_API.entityRef);
      expect(latest?.collected).toBe(clock.toISOString());
    });

    it('reports alerts GitHub refuses (403 without security_events) as not readable, never as zero alerts', async () => {
      const policyEngine = service('policy-engine');
      const summary = await source(GITHUB_TOKEN_WITHOUT_SECURITY_EVENTS).fetch(
        policyEngine,
      );
      expect(summary.notReadable).toEqual([
        expect.stringMatching(
          /^dependabotAlerts: GitHub answered 403 .*security_events/,
        ),
        expect.stringMatching(
          /^codeScanningAlerts: GitHub answered 403 .*security_events/,
        ),
      ]);
      const facts = await latestFacts(policyEngine.entityRef);
      expect(facts.dependabotAlerts).toEqual({
        readable: false,
        why: expect.stringContaining('Resource not accessible by integration'),
      });
      expect(facts.dependabotAlerts).not.toHaveProperty('open');
      expect(
        recorded.find(o => o.itemId === 'cc7.1-vulnerability-sla'),
      ).toMatchObject({
        status: 'failing',
        reason: expect.stringMatching(
          /^Dependabot alerts not readable: GitHub answered 403/,
        ),
      });
      expect(readablePart(facts, 'branchProtection').reviewRequired).toBe(true);
    });

    it('stores nothing new when a read fails, and the stored evidence no longer counts', async () => {
      const read = source();
      await read.fetch(LEXECON_API);
      const before = await store.readGithubEvidence(LEXECON_API.entityRef);

      sandbox.setFaults([
        {
          source: 'github',
          kind: '5xx',
          status: 502,
          pathPattern: '/collaborators',
        },
      ]);
      clock = new Date(NOW.getTime() + DAY);
      const attempt = read.fetch(LEXECON_API);
      await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
      await expect(attempt).rejects.toMatchObject({
        source: 'github-evidence',
        status: 502,
      });

      const after = await store.readGithubEvidence(LEXECON_API.entityRef);
      expect(after.latest).toEqual(before.latest);
      expect(after.failure).toMatchObject({ at: clock.toISOString() });
      expect(
        await knex('lexecon_github_evidence').where({
          entity_ref: LEXECON_API.entityRef,
        }),
      ).toHaveLength(1);
      const failed = recorded.filter(o => o.collected === clock.toISOString());
      expect(failed.map(o => o.itemId)).toContain('cc6.1-branch-protection');
      expect(failed.map(o => o.itemId)).toContain('gdpr5-retention-policy');
      for (const o of failed) {
        expect(o).toMatchObject({
          status: 'failing',
          reason: expect.stringMatching(/^GitHub could not be read: .*502/),
        });
      }
      const usable = usableGithubEvidence(after, clock);
      expect(usable).toEqual({
        usable: false,
        reason: expect.stringMatching(/^GitHub could not be read at .*502/),
      });
    });
  },
);
