import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { lexeconPermissions } from '@internal/plugin-lexecon-common';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { createApprovals } from './approvals/createApprovals';
import { createNotifications } from './notifications/createNotifications';
import { LiveUpdates } from './live/LiveUpdates';
import { AuditLog } from './audit/AuditLog';
import { readAuditHmacKey } from './audit/auditConfig';
import { migrateDatabase } from './database/migrate';
import { DecisionStore } from './approvals/DecisionStore';
import { readLexeconConfig } from './config';
import { checkProductionSecrets, isProduction } from './productionConfig';
import { createRouter } from './router/createRouter';
import { answerUnknownRoutes } from './router/unknownRoutes';
import { DeploymentHistoryService } from './service/DeploymentHistoryService';
import { SnapshotReader } from './snapshots/SnapshotReader';
import { SnapshotRefresher } from './snapshots/SnapshotRefresher';
import { followWithDerivedEvidence } from './sources/evidence/followWithDerivedEvidence';
import { SOURCE_REGISTRATIONS } from './sources';
import { createSource } from './sources/registry';
import { scheduleSourceRefreshes } from './sources/scheduleSources';
import { SnapshotStore } from './snapshots/SnapshotStore';
import { GithubClientFactory } from './sources/github/GithubClientFactory';
import {
  GithubWebhookSubscriber,
  githubWebhooksVerified,
} from './webhooks/GithubWebhookSubscriber';
import { readReliabilityConfig } from './reliabilityConfig';
import { createReliabilityRouter } from './router/createReliabilityRouter';
import { ReliabilityService } from './service/ReliabilityService';
import { CostFactStore } from './cost/CostFactStore';
import { DecisionCountStore } from './cost/DecisionCountStore';
import { CiRunStore } from './delivery/CiRunStore';
import { GithubEvidenceStore } from './evidence/github/GithubEvidenceStore';
import { DeployChangeSetStore } from './delivery/DeployChangeSetStore';
import { CommitReadingStore } from './delivery/CommitReadingStore';
import { readDeliveryConfig } from './delivery/deliveryConfig';
import { KubernetesAllocationStore } from './cost/KubernetesAllocationStore';
import { RequestBudget } from './cost/RequestBudget';
import { createCostRouter } from './router/createCostRouter';
import {
  CostAnalysisDeps,
  readEntityCostAnalysis,
} from './cost/readEntityCostAnalysis';
import { createCostAnomalyRouter } from './router/createCostAnomalyRouter';
import { createDeliveryRouter } from './router/createDeliveryRouter';
import { createEvidenceRouter } from './router/createEvidenceRouter';
import { readEvidenceSettings } from './evidence/evidenceConfig';
import { recordedEvidence } from './evidence/recorded/recordedEvidenceWiring';
import { createEvidencePackageRouter } from './router/createEvidencePackageRouter';
import { PopulationReader } from './evidence/populations/PopulationReader';
import { readEvidenceSigningKey } from './evidence/package/signingKey';
import { evidencePackageGenerator } from './evidence/package/generator';
import { AwsCostInsightStore } from './cost/AwsCostInsightStore';
import { CostAcknowledgementStore } from './cost/CostAcknowledgementStore';
import { awsFeedbackSender } from './sources/aws/awsFeedback';
import { readAwsCostConfig } from './sources/aws/awsCostConfig';

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
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        auditor: coreServices.auditor,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        userInfo,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
        auditor,
        events,
        lifecycle,
        notifications,
        signals,
      }) {
        const settings = readLexeconConfig(config);
        const reliabilitySettings = readReliabilityConfig(config);
        const upstream = {
          timeoutMs: settings.upstreamTimeoutMs,
          retries: settings.upstreamRetries,
        };
        const production = isProduction(config);
        const auditKey = readAuditHmacKey(config, logger, production);
        const evidenceSigningKey = readEvidenceSigningKey(
          config,
          logger,
          production,
        );
        if (production) checkProductionSecrets(config);
        await migrateDatabase(database);
        const store = new SnapshotStore(await database.getClient());
        const costFacts = new CostFactStore(await database.getClient());
        const requestBudget = new RequestBudget(await database.getClient());
        const kubernetesAllocations = new KubernetesAllocationStore(
          await database.getClient(),
        );
        const awsCostInsights = new AwsCostInsightStore(
          await database.getClient(),
        );
        const decisionCounts = new DecisionCountStore(
          await database.getClient(),
        );
        const ciRuns = new CiRunStore(await database.getClient());
        const githubEvidence = new GithubEvidenceStore(
          await database.getClient(),
        );
        const deployChangeSets = new DeployChangeSetStore(
          await database.getClient(),
        );
        const commitReadings = new CommitReadingStore(
          await database.getClient(),
        );
        const evidenceSettings = readEvidenceSettings(config);
        const records = await recordedEvidence({
          config,
          knex: await database.getClient(),
          hmacKey: auditKey,
          catalog: evidenceSettings.catalog,
          httpAuth,
          permissions,
        });
        const evidence = records.evidence;
        const derivedEvidence = {
          evidence,
          snapshots: store,
          audit: new AuditLog(await database.getClient(), {
            hmacKey: auditKey,
          }),
          items: evidenceSettings.catalog.flatMap(c => c.items),
        };
        const githubClients = new GithubClientFactory(config, {
          host: settings.githubHost,
          etagCache: settings.githubEtagCache,
          logger,
          timeoutMs: settings.upstreamTimeoutMs,
          retries: settings.upstreamRetries,
        });
        const refresher = new SnapshotRefresher(
          store,
          SOURCE_REGISTRATIONS.map(registration =>
            createSource(registration, {
              config,
              settings,
              githubClients,
              logger,
              upstream,
              costFacts,
              awsCostInsights,
              kubernetesAllocations,
              decisionCounts,
              requestBudget,
              ciRuns,
              derivedEvidence,
              githubEvidence,
              deployChangeSets,
              commitReadings,
            }),
          ),
          logger,
        );
        const reader = new SnapshotReader({
          store,
          refresher,
          staleAfterMs: settings.refresh.staleAfterMs,
          onDemandWaitMs: settings.refresh.onDemandWaitMs,
        });
        lifecycle.addShutdownHook(() => refresher.stop());
        const live = new LiveUpdates({ signals, logger });
        refresher.onSnapshotChanged(change => live.snapshotChanged(change));
        refresher.onSnapshotChanged(async change =>
          followWithDerivedEvidence(refresher, change),
        );
        const knex = await database.getClient();
        const audit = new AuditLog(knex, { hmacKey: auditKey });
        const costAnalysis: CostAnalysisDeps = {
          facts: costFacts,
          budget: requestBudget,
          snapshots: store,
          refresher,
          requestCaps: { aws: readAwsCostConfig(config)?.maxRequestsPerDay },
          insights: awsCostInsights,
          acknowledgements: new CostAcknowledgementStore(knex),
          allocations: kubernetesAllocations,
          decisions: decisionCounts,
        };
        const notifier = createNotifications({
          config,
          knex,
          notifications,
          catalog,
          auth,
          logger,
          approvals: settings.approvals,
          costAnomalies: async target => {
            const { data } = await readEntityCostAnalysis(costAnalysis, target);
            return data?.analysis
              ? {
                  anomalies: data.analysis.anomalies,
                  currency: data.analysis.currency,
                  today: data.today,
                }
              : undefined;
          },
        });
        // Sends under way are given up (their events released) rather than held at shutdown.
        lifecycle.addShutdownHook(() => notifier.notifier.stop());
        refresher.onSnapshotChanged(change =>
          notifier.snapshots.snapshotStored(change),
        );
        // Evidence that turns failing or overdue is told to its owner, as it is recorded.
        const evidenceItems = new Map(
          evidenceSettings.catalog.flatMap(c => c.items).map(i => [i.id, i]),
        );
        evidence.onVerdictChanged(changes =>
          notifier.snapshots.verdictsChanged(changes, evidenceItems),
        );
        const deployments = new DeploymentHistoryService({
          store,
          reader,
          githubClients,
          timeoutMs: settings.upstreamTimeoutMs,
          exceptions: entityRef => audit.gateExceptions(entityRef),
        });
        const reliability = new ReliabilityService({
          reader,
          deployments,
          changeWindowMinutes: reliabilitySettings.changeWindowMinutes,
        });

        const approvals = createApprovals({
          store,
          refresher,
          reader,
          audit,
          decisions: new DecisionStore(knex, {
            claimExpiryMs: settings.approvals.claimExpiryMs,
          }),
          github: githubClients,
          permissions,
          catalog,
          auth,
          auditor,
          logger,
          live,
          settings: settings.approvals,
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
          minIntervalMs: settings.refresh.webhookMinIntervalMs,
          reviews: approvals.reviews,
        }).subscribe();

        permissionsRegistry.addPermissions(lexeconPermissions);

        await scheduleSourceRefreshes(SOURCE_REGISTRATIONS, {
          scheduler,
          config,
          defaults: settings.refresh,
          concurrency: settings.refresh.concurrency,
          refresher,
          store,
          catalog,
          auth,
          logger,
        });

        const routers = [
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
            reader,
            reliability,
            refreshMinIntervalMs: settings.refresh.minIntervalMs,
          }),
          await createReliabilityRouter({
            httpAuth,
            permissions,
            catalog,
            reliability,
          }),
          await createCostRouter({
            httpAuth,
            permissions,
            catalog,
            costs: costAnalysis,
          }),
          await createCostAnomalyRouter({
            httpAuth,
            permissions,
            catalog,
            acknowledgements: {
              facts: costFacts,
              insights: awsCostInsights,
              acknowledgements: new CostAcknowledgementStore(knex),
              audit,
              sendAwsFeedback: awsFeedbackSender(config, lifecycle),
            },
          }),
          await createDeliveryRouter({
            httpAuth,
            permissions,
            catalog,
            delivery: {
              reader,
              deployments,
              ...readDeliveryConfig(config, reliabilitySettings),
              readinessGate: settings.approvals.readinessGate,
              ciRuns,
              changeSets: deployChangeSets,
              readings: commitReadings,
            },
          }),
        ];
        routers.push(
          await createEvidenceRouter({
            httpAuth,
            userInfo,
            permissions,
            catalog,
            evidence,
            settings: evidenceSettings,
          }),
        );
        routers.push(
          await createEvidencePackageRouter({
            httpAuth,
            permissions,
            catalog,
            logger,
            audit,
            package: {
              catalog: evidenceSettings.catalog,
              dueSoonLeadMs: evidenceSettings.dueSoonLeadMs,
              evidence,
              populations: new PopulationReader(knex, store),
              snapshots: store,
              audit,
              signingKey: evidenceSigningKey,
              attachments: records.attachments,
              generator: evidencePackageGenerator(),
              historyDays: settings.historyDays,
            },
          }),
        );
        routers.push(...records.routers);
        for (const router of routers) httpRouter.use(router);
        httpRouter.use(answerUnknownRoutes(routers));
      },
    });
  },
});
