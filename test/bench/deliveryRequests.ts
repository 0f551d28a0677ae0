/* eslint-disable no-console */
/**
 * GitHub requests the delivery figures add to a refresh cycle (`npm run bench`, and alone with
 * `--delivery-only`): the github source as the backend builds it, once without and once with the
 * delivery reads (change sets per production deploy, readiness readings per released commit),
 * plus the github-ci-runs source, over the sandbox's portfolio and generated services. Each
 * variant has its own client (its own ETag cache) and database; every request is counted by the
 * sandbox. A first cycle reads everything; a later cycle, an hour on, finds nothing new.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { serviceEntities, startSandbox } from '@internal/sandbox';
import { CiRunStore } from '../../plugins/lexecon-backend/src/delivery/CiRunStore';
import { CommitReadingStore } from '../../plugins/lexecon-backend/src/delivery/CommitReadingStore';
import { DeployChangeSetStore } from '../../plugins/lexecon-backend/src/delivery/DeployChangeSetStore';
import {
  EntityTarget,
  resolveEntityTarget,
} from '../../plugins/lexecon-backend/src/EntityTarget';
import { CHECK_PATTERNS } from '../../plugins/lexecon-backend/src/sources/github/commitChecks';
import { GithubCiRunsSource } from '../../plugins/lexecon-backend/src/sources/github/GithubCiRunsSource';
import { GithubClientFactory } from '../../plugins/lexecon-backend/src/sources/github/GithubClientFactory';
import { GithubDeploymentsSource } from '../../plugins/lexecon-backend/src/sources/github/GithubDeploymentsSource';
import type { GithubDeploySnapshot } from '../../plugins/lexecon-backend/src/sources/github/types';
import { migrated } from './costs';

const DAY_MS = 86_400_000;

/** The bench prints its own figures; the sources' log lines are not wanted here. */
const quietLogger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};
const HOUR_MS = 3_600_000;
/** The portfolio's four and generated ones (these with 10 days of history). */
export const DELIVERY_BENCH_SERVICES = 100;

export interface DeliveryRequestFigures {
  services: number;
  /** GitHub requests of the github source without the delivery reads, first and later cycle. */
  deploysAlone: { first: number; later: number };
  /** The same source with change sets and readiness readings. */
  deploysWithDelivery: { first: number; later: number };
  ciRuns: { first: number; later: number };
}

type Cycle = (targets: EntityTarget[], now: Date) => Promise<void>;

export async function benchDeliveryRequests(
  services = DELIVERY_BENCH_SERVICES,
): Promise<DeliveryRequestFigures> {
  const now = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 15 * HOUR_MS);
  const sandbox = await startSandbox({
    now,
    quiet: true,
    services: services - 4,
  });
  const knex = await migrated();
  try {
    const host = new URL(sandbox.githubUrl).host;
    const clients = () =>
      new GithubClientFactory(
        new ConfigReader({
          integrations: {
            github: [
              {
                host,
                apiBaseUrl: sandbox.githubUrl,
                token: sandbox.githubToken,
              },
            ],
          },
        }),
        {
          host,
          logger: quietLogger,
          timeoutMs: 10_000,
          retries: 1,
        },
      );
    const targets = serviceEntities(sandbox.services, sandbox.healthUrl)
      .filter(e => e.metadata.annotations?.['github.com/project-slug'])
      .map(resolveEntityTarget);
    const retentionMs = 395 * DAY_MS;
    const deploySource = (delivery: boolean, at: () => Date) =>
      new GithubDeploymentsSource(clients(), {
        logger: quietLogger,
        historyDays: 90,
        timeoutMs: 10_000,
        now: at,
        ...(delivery
          ? {
              changeSets: {
                store: new DeployChangeSetStore(knex),
                retentionMs,
              },
              readiness: {
                ...CHECK_PATTERNS,
                store: new CommitReadingStore(knex),
                ciWorkflow: 'test.yml',
                retentionMs,
              },
            }
          : {}),
      });
    const deployCycles = (delivery: boolean): Cycle => {
      let clock = now;
      const source = deploySource(delivery, () => clock);
      const previous = new Map<string, GithubDeploySnapshot>();
      return async (list, at) => {
        clock = at;
        for (const target of list) {
          previous.set(
            target.entityRef,
            await source.fetch(target, previous.get(target.entityRef)),
          );
        }
      };
    };
    const ciCycles = (): Cycle => {
      let clock = now;
      const source = new GithubCiRunsSource(clients(), {
        store: new CiRunStore(knex),
        defaultWorkflow: 'test.yml',
        historyDays: 90,
        retentionMs,
        timeoutMs: 10_000,
        now: () => clock,
      });
      return async (list, at) => {
        clock = at;
        for (const target of list) await source.fetch(target);
      };
    };
    const counted = async (cycle: Cycle, at: Date) => {
      sandbox.clearRequests();
      await cycle(targets, at);
      return sandbox.requests().filter(r => r.source === 'github').length;
    };
    const twoCycles = async (cycle: Cycle) => ({
      first: await counted(cycle, now),
      later: await counted(cycle, new Date(now.getTime() + HOUR_MS)),
    });
    return {
      services: targets.length,
      deploysAlone: await twoCycles(deployCycles(false)),
      deploysWithDelivery: await twoCycles(deployCycles(true)),
      ciRuns: await twoCycles(ciCycles()),
    };
  } finally {
    await knex.destroy();
    await sandbox.stop();
  }
}

export function printDeliveryRequests(f: DeliveryRequestFigures) {
  const added = (cycle: 'first' | 'later') =>
    f.deploysWithDelivery[cycle] - f.deploysAlone[cycle] + f.ciRuns[cycle];
  console.log(
    `\nGitHub requests the delivery figures add, ${f.services} services:`,
  );
  for (const cycle of ['first', 'later'] as const) {
    console.log(
      `  ${
        cycle === 'first' ? 'first cycle' : 'a later cycle, nothing new'
      }: github source ${f.deploysAlone[cycle]} alone, ${
        f.deploysWithDelivery[cycle]
      } with change sets and readings; github-ci-runs ${
        f.ciRuns[cycle]
      }; added ${added(cycle)} (${(added(cycle) / f.services).toFixed(
        2,
      )} a service)`,
    );
  }
}
