import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams } from '@backstage/plugin-events-node';
import { AuditLog } from '../approvals/AuditLog';
import { lexeconApiEntity, unannotatedEntity } from '../__fixtures__/entities';
import { SnapshotRefresher } from '../service/SnapshotRefresher';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { GithubWebhookSubscriber } from './GithubWebhookSubscriber';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setup() {
  const knex = await databases.init('SQLITE_3');
  await SnapshotStore.create({
    getClient: async () => knex,
  } as DatabaseService);
  const audit = new AuditLog(knex);
  const refreshed: string[] = [];
  const refresher = {
    refreshInBackground: (target: { entityRef: string }) => {
      refreshed.push(target.entityRef);
    },
  } as unknown as SnapshotRefresher;
  const handlers: Array<(p: EventParams) => Promise<void>> = [];
  const subscriber = new GithubWebhookSubscriber({
    events: {
      publish: async () => {},
      subscribe: async options => {
        expect(options.topics).toContain('github.deployment_review');
        handlers.push(options.onEvent);
      },
    },
    catalog: catalogServiceMock({
      entities: [lexeconApiEntity, unannotatedEntity],
    }),
    auth: mockServices.auth(),
    refresher,
    audit,
    logger: mockServices.logger.mock(),
  });
  await subscriber.subscribe();
  const deliver = (event: string, payload: object, delivery = 'd-1') =>
    handlers[0]({
      topic: `github.${event}`,
      eventPayload: payload,
      metadata: { 'x-github-event': event, 'x-github-delivery': delivery },
    });
  return { audit, refreshed, deliver };
}

const repository = { full_name: 'lexecon-ai/lexecon' };

describe('GithubWebhookSubscriber', () => {
  it('records a review made in GitHub with its time, once per delivery, and refreshes the service', async () => {
    const { audit, refreshed, deliver } = await setup();
    const review = {
      action: 'approved',
      repository,
      approver: { login: 'jordan-lee' },
      comment: 'Approved from GitHub',
      since: '2026-11-23T09:00:00Z',
      workflow_run: { id: 42, path: '.github/workflows/deploy-prod.yml' },
      workflow_job_runs: [
        { environment: 'production', updated_at: '2026-11-23T09:05:00Z' },
      ],
    };
    await deliver('deployment_review', review);
    await deliver('deployment_review', review); // GitHub redelivers
    const { items } = await audit.list({ limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      action: 'github-review',
      at: '2026-11-23T09:05:00.000Z',
      actor: 'github:jordan-lee',
      githubLogin: 'jordan-lee',
      entityRef: 'component:default/lexecon-api',
      runId: 42,
      environment: 'production',
      decision: 'approved',
      comment: 'Approved from GitHub',
    });
    expect(refreshed).toEqual([
      'component:default/lexecon-api',
      'component:default/lexecon-api',
    ]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('refreshes on deploy events without recording them, and ignores unknown repositories', async () => {
    const { audit, refreshed, deliver } = await setup();
    await deliver('deployment_status', { action: 'created', repository }, 'a');
    await deliver(
      'workflow_run',
      {
        action: 'completed',
        repository,
        workflow_run: { id: 7, path: '.github/workflows/test.yml' },
      },
      'b',
    );
    await deliver(
      'workflow_run',
      { action: 'completed', repository: { full_name: 'someone/else' } },
      'c',
    );
    expect(refreshed).toHaveLength(2);
    expect((await audit.list({ limit: 10 })).items).toEqual([]);
  });

  it('records completed deploy runs and protection rule requests', async () => {
    const { audit, deliver } = await setup();
    await deliver(
      'workflow_run',
      {
        action: 'completed',
        repository,
        workflow_run: {
          id: 9,
          path: '.github/workflows/deploy-prod.yml',
          conclusion: 'success',
          head_sha: 'abcdef1234567',
          updated_at: '2026-11-23T10:00:00Z',
          triggering_actor: { login: 'priya-nair' },
        },
      },
      'e',
    );
    await deliver(
      'deployment_protection_rule',
      {
        action: 'requested',
        repository,
        environment: 'production',
        sender: { login: 'priya-nair' },
        deployment: { sha: 'abcdef1234567' },
        deployment_callback_url:
          'https://api.github.com/repos/lexecon-ai/lexecon/actions/runs/10/deployment_protection_rule',
      },
      'f',
    );
    const { items } = await audit.list({ limit: 10 });
    expect(items.map(i => [i.action, i.runId])).toEqual([
      ['protection-rule-requested', 10],
      ['run-completed', 9],
    ]);
    expect(items[1].outcome).toContain('success');
  });
});
