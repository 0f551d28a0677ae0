import { z } from 'zod';
import { ChangePopulationRow } from './evidenceViews';
import { SlaIncident } from './reliability';

/** The populations an auditor samples from (issue 16). */
export type PopulationKind = 'changes' | 'flag-changes' | 'incidents';
export const POPULATION_KINDS: readonly PopulationKind[] = [
  'changes',
  'flag-changes',
  'incidents',
];

/** One production flag change (from Unleash's event log as the portal stored it). */
export interface FlagChangePopulationRow {
  entityRef: string;
  /** Unleash's event id. */
  id: number;
  flag: string;
  type: string;
  environment: string;
  by: string;
  at: string;
  what: string;
}

/** One production incident (from Datadog), once however many services name it. */
export type IncidentPopulationRow = Pick<
  SlaIncident,
  | 'id'
  | 'publicId'
  | 'title'
  | 'severity'
  | 'state'
  | 'startedAt'
  | 'resolvedAt'
  | 'timeToResolveSeconds'
  | 'url'
> & {
  /** The services whose Datadog service name the incident carries. */
  services: string[];
};

export interface PopulationRowOf {
  changes: ChangePopulationRow;
  'flag-changes': FlagChangePopulationRow;
  incidents: IncidentPopulationRow;
}

const instant = z
  .string()
  .max(40)
  .refine(v => !Number.isNaN(Date.parse(v)), 'is not an ISO 8601 date');
const fromBeforeTo = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to);

export const populationKindSchema = z.enum(
  POPULATION_KINDS as [PopulationKind, ...PopulationKind[]],
);

const seed = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,128}$/,
    'must be 1 to 128 letters, digits, dots, dashes or underscores',
  );

/** A window of the evidence routes (the 90 days before now by default). */
export const evidenceWindowQuerySchema = z
  .object({ from: instant.optional(), to: instant.optional() })
  .strict()
  .refine(fromBeforeTo, { message: 'must be before to', path: ['from'] });

/** `GET /v1/evidence/populations/:kind/sample`'s parameters; a seed is random when not given. */
export const evidenceSampleQuerySchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    size: z.coerce.number().int().min(1).max(1000),
    seed: seed.optional(),
  })
  .strict()
  .refine(fromBeforeTo, { message: 'must be before to', path: ['from'] });
export type EvidenceSampleQuery = z.infer<typeof evidenceSampleQuerySchema>;

/** `GET /v1/evidence/package`'s parameters: the window, and the samples' seed (random if unset). */
export const evidencePackageQuerySchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    seed: seed.optional(),
  })
  .strict()
  .refine(fromBeforeTo, { message: 'must be before to', path: ['from'] });

/** A reproducible sample: the seed, the method in words, and the rows drawn in draw order. */
export interface EvidenceSample<K extends PopulationKind = PopulationKind> {
  kind: K;
  generatedAt: string;
  from: string;
  to: string;
  seed: string;
  size: number;
  populationSize: number;
  /** How to reproduce the draw from the seed and the population's keys. */
  method: string;
  /** How each row's key is formed from the population's columns. */
  key: string;
  rows: Array<{
    position: number;
    key: string;
    /** SHA-256(seed + "\n" + key), hex. */
    rank: string;
    row: PopulationRowOf[K];
  }>;
}

/**
 * The change population against GitHub's own deployment list for the window. `expected` counts
 * GitHub's production deployments, `found` those the population holds; `missing` are GitHub's
 * deployments it lacks, `extra` its rows GitHub does not list. `complete` is false also when
 * GitHub's list could not be read for a service (`unreadable`): never complete by default.
 */
export interface ChangePopulationCompleteness {
  generatedAt: string;
  from: string;
  to: string;
  complete: boolean;
  expected: number;
  found: number;
  missing: Array<{
    entityRef: string;
    deploymentId: number;
    sha: string;
    createdAt: string;
    runId?: number;
    state?: string;
  }>;
  extra: Array<{ entityRef: string; deployId: string; reason: string }>;
  /** Services whose GitHub deployments could not be read for the window, and why. */
  unreadable: Array<{ entityRef: string; reason: string }>;
  /**
   * Services the check does not apply to: no GitHub repository and no production deploy in the
   * population (a service with deploys and no repository is unreadable instead).
   */
  notApplicable?: Array<{ entityRef: string; reason: string }>;
}

/** `GET /v1/evidence/signing-key`: what the page shows so the auditor can verify a package. */
export interface EvidenceSigningKeyView {
  algorithm: 'Ed25519';
  /** SPKI PEM; absent when no package can be signed. */
  publicKeyPem?: string;
  /** SHA-256 of the public key's DER, hex. */
  fingerprint?: string;
  /** Why no package can be signed. */
  unavailable?: string;
  /** Why this key should not be trusted (the sandbox's, or made for this process). */
  insecure?: string;
}
