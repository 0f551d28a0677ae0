import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { LEXECON_AWS_COST_TAGS_ANNOTATION } from '@internal/plugin-lexecon-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import { userEntity } from '../../__fixtures__/entities';
import {
  lexeconApiWithReliability,
  reliabilityConfig,
} from '../../__fixtures__/reliability';
import { sandboxConfig } from '../../__fixtures__/testConfig';
import { lexeconPlugin } from '../../plugin';

export const ENTITY_PATH =
  '/api/lexecon/v1/entities/default/component/lexecon-api';

/** The entity with its AWS cost allocation tag, so its bill is read and its anomalies told. */
function withAwsCosts(entity: Entity): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        [LEXECON_AWS_COST_TAGS_ANNOTATION]: 'lexecon-api',
      },
    },
  };
}

/** A group with its members, related both ways as the catalog relates them. */
function group(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], members },
    relations: members.map(m => ({
      type: 'hasMember',
      targetRef: `user:default/${m}`,
    })),
  };
}

/** The sandbox's sign-in users and groups, as catalog-info.yaml declares them. */
const ORG: Entity[] = [
  userEntity('alex-kim', 'alex-kim'),
  userEntity('jordan-lee', 'jordan-lee'),
  userEntity('sam-okafor', 'sam-okafor'),
  userEntity('casey-morgan', 'casey-morgan'),
  group('release-approvers', ['alex-kim', 'jordan-lee']),
  group('oncall', ['sam-okafor']),
  group('lexecon-engineering', ['alex-kim', 'jordan-lee', 'sam-okafor']),
];

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

/** One portal replica whose notifications service records what it is asked to send. */
export interface Replica {
  server: Server;
  sent: NotificationSendOptions[];
  stop(): Promise<void>;
}

/**
 * The sandbox and portal replicas on one database, for a whole test file: replicas share the
 * database as production replicas do, each with its own notifications service.
 */
export class NotificationsBackend {
  sandbox!: Sandbox;
  knex!: Knex;
  readonly replicas: Replica[] = [];

  constructor(
    private readonly databases: TestDatabases,
    private readonly databaseId: TestDatabaseId,
  ) {}

  async start(replicas: number) {
    this.sandbox = await startSandbox({ quiet: true });
    this.knex = await this.databases.init(this.databaseId);
    for (let i = 0; i < replicas; i++) {
      this.replicas.push(await this.startReplica());
    }
  }

  private async startReplica(): Promise<Replica> {
    const sent: NotificationSendOptions[] = [];
    const backend = await startTestBackend({
      features: [
        lexeconPlugin,
        mockServices.rootConfig.factory({
          data: sandboxConfig(this.sandbox, {
            ...reliabilityConfig(this.sandbox),
            aws: {
              costExplorer: {
                endpoint: this.sandbox.awsUrl,
                credentials: {
                  accessKeyId: this.sandbox.awsAccessKeyId,
                  secretAccessKey: this.sandbox.awsSecretAccessKey,
                },
              },
            },
          }),
        }),
        mockServices.database.factory({ knex: this.knex }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [
            withAwsCosts(lexeconApiWithReliability(this.sandbox)),
            ...ORG,
          ],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            async send(options: NotificationSendOptions) {
              sent.push(options);
            },
          }),
        }),
      ],
    });
    return { server: backend.server, sent, stop: () => backend.stop() };
  }

  async stop() {
    for (const replica of this.replicas.splice(0)) await replica.stop();
    await this.sandbox?.stop();
  }

  /** Every notification any replica sent. */
  sent(): NotificationSendOptions[] {
    return this.replicas.flatMap(r => r.sent);
  }

  /** A manual refresh of the entity through one replica, as the tab's button makes it. */
  async refresh(replica = 0) {
    const response = await request(this.replicas[replica].server)
      .post(`${ENTITY_PATH}/refresh`)
      .set({
        Authorization: mockCredentials.user.header('user:default/casey-morgan'),
      });
    if (response.status !== 202) {
      throw new Error(`refresh answered ${response.status}: ${response.text}`);
    }
  }
}

/** Recipients of a send, as a sorted list. */
export function recipientsOf(options: NotificationSendOptions): string[] {
  if (options.recipients.type !== 'entity') return ['(broadcast)'];
  return [options.recipients.entityRef].flat().sort();
}
