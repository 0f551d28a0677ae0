import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  lexeconPermissions,
} from '@internal/plugin-lexecon-common';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ApprovalService } from './approvals/ApprovalService';
import { AuditLog } from './approvals/AuditLog';
import { DecisionStore } from './approvals/DecisionStore';
import { readLexeconConfig } from './config';
import { isCoveredEntity, resolveEntityTarget } from './EntityTarget';
import { createRouter } from './router/createRouter';
import { DeploymentHistoryService } from './service/DeploymentHistoryService';
import { SnapshotRefresher } from './service/SnapshotRefresher';
import { SnapshotStore } from './snapshots/SnapshotStore';
import { GithubClientFactory } from './sources/github/GithubClientFactory';
import { GithubDeploymentsSource } from './sources/github/GithubDeploymentsSource';
import { GithubApprovalsSource } from './sources/github/GithubApprovalsSource';
import { HelmReleaseSource } from './sources/kubernetes/HelmReleaseSource';
import {
  GithubWebhookSubscriber,
  githubWebhooksVerified,
} from './webhooks/GithubWebhookSubscriber';
import { readReliabilityConfig } from './reliabilityConfig';
import {
  createReliabilityRouter,
  ONCALL_ANNOTATIONS,
} from './router/createReliabilityRouter';
import { ReliabilityService } from './service/ReliabilityService';
import { DatadogSloSource } from './sources/datadog/DatadogSloSource';
import { ServiceHealthSource } from './sources/health/ServiceHealthSource';
import { UnleashFlagsSource } from './sources/unleash/UnleashFlagsSource';

/** Entities refreshed in parallel by the scheduled task. */
const REFRESH_CONCURRENCY = 2;

/**
 * The Lexecon Release & Compliance backend: snapshots of upstream data per catalog entity,
 * refreshed on a schedule (once across replicas), served under /api/lexecon/v1.
 */
export const lexeconPlugin = createBackendPlugin({
  pluginId: 'lexecon',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        auditor: coreServices.auditor,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        cache,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
        auditor,
        events,
        lifecycle,
      }) {
        const settings = readLexeconConfig(config);
        const reliabilitySettings = readReliabilityConfig(config);
        const upstream = {
          timeoutMs: settings.upstreamTimeoutMs,
          retries: settings.upstreamRetries,
        };
        const store = await SnapshotStore.create(database);
        const githubClients = new GithubClientFactory(config, {
          host: settings.githubHost,
          cache,
          logger,
          timeoutMs: settings.upstreamTimeoutMs,
          retries: settings.upstreamRetries,
        });
        const refresher = new SnapshotRefresher(
          store,
          [
            new GithubDeploymentsSource(githubClients, {
              logger,
              historyDays: settings.historyDays,
              timeoutMs: settings.upstreamTimeoutMs,
            }),
            new HelmReleaseSource(settings.kubernetesClusters, {
              timeoutMs: settings.upstreamTimeoutMs,
              retries: settings.upstreamRetries,
            }),
            new GithubApprovalsSource(githubClients, {
              logger,
              timeoutMs: settings.upstreamTimeoutMs,
              ciWorkflow: settings.approvals.ciWorkflow,
              qualityChecks: [/quality/i, /lint/i],
              securityCheck: /security|codeql|scan/i,
            }),
            new UnleashFlagsSource(reliabilitySettings.unleash, upstream),
            new DatadogSloSource(reliabilitySettings.datadog, upstream),
            new ServiceHealthSource(upstream),
          ],
          logger,
        );
        lifecycle.addShutdownHook(() => refresher.idle());
        const deployments = new DeploymentHistoryService({
          store,
          refresher,
          githubClients,
          staleAfterMs: settings.refresh.staleAfterMs,
          onDemandWaitMs: settings.refresh.onDemandWaitMs,
          timeoutMs: settings.upstreamTimeoutMs,
        });
        const reliability = new ReliabilityService({
          store,
          refresher,
          deployments,
          staleAfterMs: settings.refresh.staleAfterMs,
          onDemandWaitMs: settings.refresh.onDemandWaitMs,
          changeWindowMinutes: reliabilitySettings.changeWindowMinutes,
        });

        const knex = await database.getClient();
        const audit = new AuditLog(knex);
        const approvals = new ApprovalService({
          store,
          refresher,
          audit,
          decisions: new DecisionStore(knex),
          github: githubClients,
          permissions,
          catalog,
          auth,
          auditor,
          logger,
          settings: settings.approvals,
          staleAfterMs: settings.refresh.staleAfterMs,
          onDemandWaitMs: settings.refresh.onDemandWaitMs,
          timeoutMs: settings.upstreamTimeoutMs,
        });
        await new GithubWebhookSubscriber({
          events,
          catalog,
          auth,
          refresher,
          audit,
          logger,
          verified: githubWebhooksVerified(config),
        }).subscribe();

        permissionsRegistry.addPermissions(lexeconPermissions);

        await scheduler.scheduleTask({
          id: 'lexecon-refresh-snapshots',
          frequency: settings.refresh.frequency,
          timeout: settings.refresh.timeout,
          initialDelay: settings.refresh.initialDelay,
          scope: 'global',
          fn: async () => {
            const { items } = await catalog.getEntities(
              {
                filter: [
                  {
                    [`metadata.annotations.${GITHUB_PROJECT_SLUG_ANNOTATION}`]:
                      CATALOG_FILTER_EXISTS,
                  },
                  {
                    [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]:
                      CATALOG_FILTER_EXISTS,
                  },
                  ...ONCALL_ANNOTATIONS.map(a => ({
                    [`metadata.annotations.${a}`]: CATALOG_FILTER_EXISTS,
                  })),
                ],
              },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            const targets = items
              .filter(isCoveredEntity)
              .map(resolveEntityTarget);
            for (let i = 0; i < targets.length; i += REFRESH_CONCURRENCY) {
              await Promise.all(
                targets
                  .slice(i, i + REFRESH_CONCURRENCY)
                  .map(t => refresher.refreshEntity(t)),
              );
            }
            logger.info(
              `Refreshed Lexecon snapshots of ${targets.length} entities`,
            );
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            auth,
            permissions,
            catalog,
            logger,
            deployments,
            refresher,
            approvals,
            audit,
          }),
        );
        httpRouter.use(
          await createReliabilityRouter({
            httpAuth,
            permissions,
            catalog,
            reliability,
          }),
        );
      },
    });
  },
});
