import {
  EvidenceItem,
  EvidenceObservation,
} from '@internal/plugin-lexecon-common';
import { GithubEvidenceStore } from '../../evidence/github/GithubEvidenceStore';
import {
  githubEvidenceReadFailed,
  judgeGithubEvidence,
} from '../../evidence/github/judgeGithubEvidence';
import { EntityTarget } from '../../EntityTarget';
import { annotationMissing, NotConfigured, SnapshotSource } from '../types';
import { githubCaller } from './describeGithubError';
import { GithubClientFactory } from './GithubClientFactory';
import { GithubEvidenceReader } from './GithubEvidenceReader';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * A daily read counts for a day and the cycle's leeway (its timeout, the scheduler's jitter):
 * the next scheduled read lands before it expires, a missed one shows the next day.
 */
export const GITHUB_EVIDENCE_VALID_MS = DAY_MS + 2 * HOUR_MS;
/** Observations are kept for a SOC 2 Type II period (twelve months) and a month's margin. */
export const GITHUB_EVIDENCE_RETENTION_MS = 395 * DAY_MS;

/** Where the items' verdicts go: the catalog's items and the evidence store. */
export interface EvidenceRecorder {
  /** The catalog's items (those of the github-evidence source are judged). */
  items: readonly EvidenceItem[];
  record(observations: readonly EvidenceObservation[]): Promise<void>;
}

/** What one read did; the facts themselves are in the GitHub evidence store. */
export interface GithubEvidenceReadSummary {
  collected: string;
  expires: string;
  /** The parts GitHub would not show these credentials, with why. */
  notReadable: string[];
}

/**
 * The GitHub side of SOC 2 / GDPR evidence (issue 16), once a day per service and never on a
 * page view: branch protection and rulesets of the default branch, the production environment's
 * reviewers, admins, open alerts against the patch SLA, policy documents and their last review.
 * Every request is conditional, so an unchanged repository costs 304s only. A failed read stores
 * no observation; it is recorded, and the items it feeds fail with its reason.
 */
export class GithubEvidenceSource
  implements SnapshotSource<GithubEvidenceReadSummary>
{
  readonly id = 'github-evidence' as const;
  readonly scheduledOnly = true;

  constructor(
    private readonly clients: GithubClientFactory,
    private readonly options: {
      store: GithubEvidenceStore;
      /** Absent, the facts are stored but no item is judged. */
      evidence?: EvidenceRecorder;
      timeoutMs: number;
      now?: () => Date;
    },
  ) {}

  notConfiguredReason(target: EntityTarget): NotConfigured | undefined {
    return target.github ? undefined : annotationMissing(this.id);
  }

  async fetch(target: EntityTarget): Promise<GithubEvidenceReadSummary> {
    const { github, entityRef } = target;
    if (!github) throw new Error(annotationMissing(this.id).message);
    const { store, evidence, timeoutMs } = this.options;
    const now = this.options.now?.() ?? new Date();
    const collected = now.toISOString();
    const slug = `${github.owner}/${github.repo}`;
    const call = githubCaller(slug, timeoutMs, this.id);
    const productionEnvironment = target.environments.includes('production')
      ? 'production'
      : target.environments[target.environments.length - 1];
    const facts = await call(
      'the evidence settings (branch protection, environments, admins, alerts, policies)',
      async () => {
        const octokit = await this.clients.forRepository(
          github.owner,
          github.repo,
        );
        return new GithubEvidenceReader(octokit, github).read({
          productionEnvironment,
          now,
        });
      },
    ).catch(async (error: Error) => {
      await store.saveFailure(entityRef, collected, error.message);
      if (evidence) {
        const { latest } = await store.readGithubEvidence(entityRef);
        await evidence.record(
          githubEvidenceReadFailed(
            evidence.items,
            entityRef,
            error.message,
            now,
            latest?.facts,
          ),
        );
      }
      throw error;
    });
    const expires = new Date(
      now.getTime() + GITHUB_EVIDENCE_VALID_MS,
    ).toISOString();
    await store.save({ entityRef, collected, expires, facts });
    await evidence?.record(
      judgeGithubEvidence(evidence.items, entityRef, facts, now),
    );
    await store.dropCollectedBefore(
      entityRef,
      new Date(now.getTime() - GITHUB_EVIDENCE_RETENTION_MS).toISOString(),
    );
    const notReadable = Object.entries(facts).flatMap(([part, value]) =>
      typeof value === 'object' &&
      value &&
      'readable' in value &&
      !value.readable
        ? [`${part}: ${value.why}`]
        : [],
    );
    return { collected, expires, notReadable };
  }
}
