import { fakeOnlyDate } from '@internal/test-setup';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ApprovalsInbox,
  ChangePopulation,
  CHANGE_POPULATION_CSV_COLUMNS,
  DeploymentsPage,
  EvidenceControlDetail,
  EvidenceControlsResponse,
} from '@internal/plugin-lexecon-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import {
  collectEvidence,
  evidenceAuth,
  EVIDENCE_API,
  EVIDENCE_ENTITY,
  startEvidenceBackend,
  until,
} from '../evidence/__testUtils__/evidenceBackend';
import { PermissionQuery } from '../__fixtures__/permissions';
import { lexeconApiWithReliability } from '../__fixtures__/reliability';
import { TEST_AUDIT_HMAC_KEY } from '../__fixtures__/testConfig';
import { CommitReadingStore } from '../delivery/CommitReadingStore';
import { DeployChangeSetStore } from '../delivery/DeployChangeSetStore';
import { AuditLog } from '../audit/AuditLog';
import { resolveEntityTarget } from '../EntityTarget';
import { EvidenceStore } from '../evidence/EvidenceStore';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { PortalEvidenceSource } from '../sources/evidence/PortalEvidenceSource';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

const API = 'component:default/lexecon-api';
const ENTITY = EVIDENCE_ENTITY;
const EVIDENCE = EVIDENCE_API;
const auth = evidenceAuth;
const NOW = new Date('2026-04-01T10:00:00.000Z');
const DAY = 86_400_000;

describe.each(databases.eachSupportedId())('evidence routes on %s', id => {
  let sandbox: Sandbox;
  let knex: Knex;

  beforeAll(async () => {
    fakeOnlyDate(NOW, { advance: true });
    sandbox = await startSandbox({ quiet: true });
  });
  afterAll(async () => {
    await sandbox.stop();
    jest.useRealTimers();
  });

  async function startBackend(decide?: (q: PermissionQuery) => boolean) {
    knex = await databases.init(id);
    return startEvidenceBackend(sandbox, knex, decide);
  }

  it('puts every seeded production deploy in the change population once, with its approver', async () => {
    const server = await startBackend();
    await collectEvidence(server);
    const from = new Date(NOW.getTime() - 90 * DAY).toISOString();
    const { body } = await request(server)
      .get(`${EVIDENCE}/populations/changes`)
      .query({ from, to: NOW.toISOString() })
      .set(auth)
      .expect(200);
    const population = body as ChangePopulation;
    const seeded = sandbox.world.runs.filter(
      r =>
        r.workflowFile === 'deploy-prod.yml' &&
        r.status === 'completed' &&
        Date.parse(r.createdAt) >= Date.parse(from) &&
        Date.parse(r.createdAt) < NOW.getTime(),
    );
    expect(seeded.length).toBeGreaterThan(5);
    const runIds = population.rows.flatMap(r => (r.runId ? [r.runId] : []));
    expect(new Set(runIds).size).toBe(runIds.length);
    expect([...runIds].sort()).toEqual(seeded.map(r => r.id).sort());
    expect(population).toMatchObject({
      parameters: { from, to: NOW.toISOString(), services: [API] },
      rowCount: population.rows.length,
      query: expect.stringContaining('production'),
    });
    for (const run of seeded) {
      const row = population.rows.find(r => r.runId === run.id)!;
      const approval = run.approvals.find(a => a.state === 'approved');
      expect(row.approver).toBe(approval?.user);
      expect(row.deployId).toBe(`production:run:${run.id}`);
    }
    // Two exceptions are seeded: the release jordan-lee approved in GitHub although he wrote
    // part of it, and the on-call engineer's Helm rollback by hand, which nobody approved.
    // Every other approver is checked against the deploy's change set, read after it ran,
    // except the oldest's, which has no successful deploy before it to compare with.
    const { selfApproved, manualRollback } = sandbox.world.facts;
    const exceptions = population.rows.filter(r => r.exceptions.length);
    expect(
      exceptions.map(r => ({
        runId: r.runId,
        deployId: r.deployId,
        exceptions: r.exceptions,
      })),
    ).toEqual([
      {
        runId: selfApproved.runId,
        deployId: `production:run:${selfApproved.runId}`,
        exceptions: [
          'approved by jordan-lee, who authored part of the change: SoD exception',
        ],
      },
      {
        runId: undefined,
        deployId: expect.stringContaining(String(manualRollback.revision)),
        exceptions: ['deployed to production without an approval'],
      },
    ]);
    const approved = population.rows.filter(
      r => r.approver && r.result === 'success',
    );
    const checked = approved.filter(r => r.approverNotAuthor !== null);
    expect(checked.length).toBe(approved.length - 1);
    expect(checked.every(r => r.authorsSource === 'deploy-change-set')).toBe(
      true,
    );
    const [unchecked] = approved.filter(r => r.approverNotAuthor === null);
    expect(unchecked.runId).toBe(seeded[0].id);
    expect(unchecked.authorsUnknown).toMatch(
      /^its change set is unknown: No successful production deploy/,
    );
  });

  it('lists the controls with status and freshness, filters them, and opens one with its observations', async () => {
    const server = await startBackend();
    await collectEvidence(server);
    const { body } = await request(server)
      .get(`${EVIDENCE}/controls`)
      .query({ framework: 'soc2' })
      .set(auth)
      .expect(200);
    const controls = body as EvidenceControlsResponse;
    expect(controls.controls.every(c => c.framework === 'soc2')).toBe(true);
    expect(controls.summary.gdpr).toBeDefined();
    const audit = controls.controls.find(c => c.id === 'CC7.2')!;
    expect(audit.items[0]).toMatchObject({
      status: 'passing',
      latest: {
        collected: expect.any(String),
        expires: expect.any(String),
      },
    });
    // Judged from what the github-evidence source read of the sandbox's repository.
    const admins = controls.controls.find(c => c.id === 'CC6.2')!.items[0];
    expect(admins.latest).toMatchObject({ entityRef: API });
    expect(admins.reason).toMatch(/admin/i);
    // Uploads were never made: missing, never passing.
    const access = controls.controls.find(c => c.id === 'CC6.3')!;
    expect(access).toMatchObject({ status: 'missing' });
    // The seeded retention policy, last reviewed 395 days ago, is overdue (not failing).
    const gdpr = (
      await request(server)
        .get(`${EVIDENCE}/controls`)
        .query({ control: 'GDPR-Art.5' })
        .set(auth)
        .expect(200)
    ).body as EvidenceControlsResponse;
    expect(
      gdpr.controls[0].items.find(i => i.id === 'gdpr5-retention-policy'),
    ).toMatchObject({
      status: 'overdue',
      reason: expect.stringMatching(
        /data-retention-policy\.md last reviewed .* its annual review was due/,
      ),
    });

    const missing = await request(server)
      .get(`${EVIDENCE}/controls`)
      .query({ status: 'missing' })
      .set(auth)
      .expect(200);
    expect(
      (missing.body as EvidenceControlsResponse).controls.map(c => c.status),
    ).toEqual(expect.arrayContaining(['missing']));
    expect(
      new Set(
        (missing.body as EvidenceControlsResponse).controls.map(c => c.status),
      ),
    ).toEqual(new Set(['missing']));

    const detail = await request(server)
      .get(`${EVIDENCE}/controls/CC8.1`)
      .set(auth)
      .expect(200);
    const population = (detail.body as EvidenceControlDetail).observations.find(
      o => o.itemId === 'cc8.1-change-population',
    )!;
    expect(population).toMatchObject({
      entityRef: API,
      sourceUrl: expect.stringContaining('/deployments'),
    });
    expect(
      Date.parse(population.expires) - Date.parse(population.collected),
    ).toBe(DAY);
  });

  it('answers the population as CSV with the query, parameters and row count in its headers', async () => {
    const server = await startBackend();
    await collectEvidence(server);
    const json = await request(server)
      .get(`${EVIDENCE}/populations/changes`)
      .set(auth)
      .expect(200);
    const csv = await request(server)
      .get(`${EVIDENCE}/populations/changes`)
      .query({
        format: 'csv',
        from: json.body.parameters.from,
        to: json.body.parameters.to,
      })
      .set(auth)
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CHANGE_POPULATION_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(json.body.rowCount + 1);
    expect(csv.headers['x-lexecon-population-row-count']).toBe(
      String(json.body.rowCount),
    );
    expect(JSON.parse(csv.headers['x-lexecon-population-parameters'])).toEqual(
      json.body.parameters,
    );
  });

  it('refuses a bad parameter naming it, and a caller without lexecon.evidence.read', async () => {
    const server = await startBackend(
      q => q.permission !== 'lexecon.evidence.read',
    );
    const bad = await request(server)
      .get(`${EVIDENCE}/controls`)
      .query({ framework: 'iso27001' })
      .set(auth)
      .expect(400);
    expect(bad.body.error.message).toContain("query parameter 'framework'");
    const backwards = await request(server)
      .get(`${EVIDENCE}/populations/changes`)
      .query({ from: NOW.toISOString(), to: '2026-01-01T00:00:00Z' })
      .set(auth)
      .expect(400);
    expect(backwards.body.error.message).toContain(
      "query parameter 'from' must be before to",
    );
    await request(server).get(`${EVIDENCE}/controls`).set(auth).expect(403);
    await request(server)
      .get(`${EVIDENCE}/populations/changes`)
      .set(auth)
      .expect(403);
  });

  it('flags a production deploy approved by an author of its change as an SoD exception, and fails CC8.1', async () => {
    const server = await startBackend();
    await collectEvidence(server);
    sandbox.pushCommits([
      { title: 'Cache policy lookups', author: 'jordan-lee' },
    ]);
    const { runId } = sandbox.createWaitingRun({ actor: 'sam-okafor' });
    const source = new PortalEvidenceSource({
      evidence: new EvidenceStore(knex),
      snapshots: new SnapshotStore(knex),
      audit: new AuditLog(knex, { hmacKey: TEST_AUDIT_HMAC_KEY }),
      deployChangeSets: new DeployChangeSetStore(knex),
      commitReadings: new CommitReadingStore(knex),
      readinessGate: 90,
    });
    const target = resolveEntityTarget(lexeconApiWithReliability(sandbox));

    // The portal sees the run waiting, with its change set: a by-product of the approvals inbox.
    await request(server).post(`${ENTITY}/refresh`).set(auth).expect(202);
    await until(
      async () =>
        (
          await request(server).get(`${ENTITY}/approvals`).set(auth)
        ).body as ApprovalsInbox,
      inbox => inbox.items.some(i => i.runId === runId),
    );
    await source.fetch(target);

    // jordan-lee, a required reviewer who wrote part of it, approves it in GitHub's own page.
    const production = sandbox.world.environments.find(
      e => e.name.toLowerCase() === 'production',
    )!;
    const approved = await fetch(
      `${sandbox.githubUrl}/repos/${sandbox.owner}/${sandbox.repo}/actions/runs/${runId}/pending_deployments`,
      {
        method: 'POST',
        headers: {
          authorization: 'token sandbox-token-for-jordan-lee',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          environment_ids: [production.id],
          state: 'approved',
          comment: 'Ship it',
        }),
      },
    );
    expect(approved.status).toBe(200);
    await request(server).post(`${ENTITY}/refresh`).set(auth).expect(202);
    await until(
      async () =>
        (
          await request(server)
            .get(`${ENTITY}/deployments?environment=production&limit=50`)
            .set(auth)
        ).body as DeploymentsPage,
      page =>
        page.items.some(
          d => d.runId === runId && d.approval?.user.login === 'jordan-lee',
        ),
    );
    await source.fetch(target);

    const { body } = await request(server)
      .get(`${EVIDENCE}/populations/changes`)
      .set(auth)
      .expect(200);
    const row = (body as ChangePopulation).rows.find(r => r.runId === runId)!;
    expect(row).toMatchObject({
      approver: 'jordan-lee',
      approverNotAuthor: false,
      exceptions: [
        'approved by jordan-lee, who authored part of the change: SoD exception',
      ],
    });
    const detail = await request(server)
      .get(`${EVIDENCE}/controls/CC8.1`)
      .set(auth)
      .expect(200);
    const control = (detail.body as EvidenceControlDetail).control;
    expect(control.status).toBe('failing');
    expect(control.items[0]).toMatchObject({
      id: 'cc8.1-change-population',
      status: 'failing',
      reason: expect.stringContaining(
        'approved by jordan-lee, who authored part of the change: SoD exception',
      ),
    });
  });
});
