import {
  Control,
  POPULATION_KINDS,
  PopulationKind,
  PopulationRowOf,
} from '@internal/plugin-lexecon-common';
import { createHash, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { AuditLog } from '../../audit/AuditLog';
import { EntityTarget } from '../../EntityTarget';
import { SnapshotStore } from '../../snapshots/SnapshotStore';
import { EvidenceStore } from '../EvidenceStore';
import { controlsResponse, observationView } from '../evidenceViews';
import { changeCompleteness } from '../populations/changeCompleteness';
import {
  populationCsv,
  populationJson,
  PopulationParameters,
} from '../populations/populationFiles';
import {
  POPULATION_KEYS,
  populationKey,
  PopulationReader,
} from '../populations/PopulationReader';
import type { RecordedEvidenceStore } from '../recorded/RecordedEvidenceStore';
import { SampleDraw } from '../sampling/drawSample';
import { BagWriter } from './BagWriter';
import { EvidenceSigningKey } from './signingKey';

/** The sample size of each population in a package: the practitioners' norm for daily controls. */
export const PACKAGE_SAMPLE_SIZE = 25;

export interface EvidencePackageDeps {
  catalog: readonly Control[];
  dueSoonLeadMs: number;
  evidence: EvidenceStore;
  populations: PopulationReader;
  snapshots: SnapshotStore;
  audit: AuditLog;
  signingKey: EvidenceSigningKey;
  /** The documents owners attached; unset, the package holds none. */
  attachments?: Pick<RecordedEvidenceStore, 'inWindow' | 'download'>;
  /** `<package name> <version>` of the backend that writes the package. */
  generator: string;
  historyDays: number;
}

export interface EvidencePackageRequest {
  from: string;
  to: string;
  services: readonly EntityTarget[];
  seed: string;
  generatedAt: Date;
  generatedBy: string;
}

/** What the audit trail records of a package (a type, so that it is a JSON object). */
export type EvidencePackageSummary = {
  externalIdentifier: string;
  payloadOxum: string;
  tagManifestSha256: string;
  rowCounts: Record<PopulationKind, number>;
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A file name or item id as one path segment: nothing but letters, digits, dot, dash, underscore. */
const safeSegment = (name: string) =>
  name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');

const README = `Lexecon evidence package: a BagIt bag (RFC 8493). Payload (data/):
  controls.json                 every control of the catalog with its status and each item's at the window's end
  evidence/observations.json    every observation whose verdict held in the window (collected, expires, source)
  evidence/attachments.json     the documents owners attached that were evidence in the window (effective in it,
                                or the newest in force when it began), each with its SHA-256 taken at upload
  evidence/attachments/<item>/  those documents, byte for byte
  populations/<kind>.csv|.json  the complete population of the window (changes, flag-changes, incidents); the JSON
                                carries the query and parameters that selected it and its row count
  samples/<kind>.json           a seeded sample of each population and how to reproduce it from the seed
  completeness/changes.json     the change population against GitHub's own deployment list for the window
  audit/verification.json       the portal's audit chain verified when the package was written
Tag files: bagit.txt, bag-info.txt, manifest-sha256.txt (SHA-256 of every payload file),
tagmanifest-sha256.txt (of the tag files) and tagmanifest-sha256.txt.sig, an Ed25519 signature of
tagmanifest-sha256.txt by the key whose public half the portal's evidence page shows.
`;

/** Counts a population's rows and digests their keys in order, to compare two readings. */
class PopulationTally {
  count = 0;
  private readonly hash = createHash('sha256');
  add(key: string) {
    this.count++;
    this.hash.update(`${key}\n`);
  }
  digest() {
    return this.hash.digest('hex');
  }
}

/**
 * Writes the evidence package of [from, to) into `output` as a signed BagIt zip. Populations are
 * read twice (CSV, then JSON) and streamed each time; their sample is drawn on the first reading.
 * If a population changed between the two readings (a refresh replaced it), the package is
 * aborted rather than carry two versions of it.
 */
export async function writeEvidencePackage(
  deps: EvidencePackageDeps,
  request: EvidencePackageRequest,
  output: Writable,
): Promise<EvidencePackageSummary> {
  const { from, to, services, seed, generatedAt } = request;
  const bag = new BagWriter(output, generatedAt);
  const parameters: PopulationParameters = {
    from,
    to,
    services: services.map(s => s.entityRef),
  };
  try {
    await bag.addPayload('README.txt', README);
    const observations = await deps.evidence.observations({
      from,
      to,
      entityRefs: parameters.services,
    });
    await bag.addPayload(
      'controls.json',
      json(
        controlsResponse(
          deps.catalog,
          observations,
          { from, to },
          {
            now: new Date(to),
            dueSoonLeadMs: deps.dueSoonLeadMs,
            canWrite: false,
            generatedAt: generatedAt.toISOString(),
          },
        ),
      ),
    );
    await bag.addPayload(
      'evidence/observations.json',
      json({
        from,
        to,
        observations: observations.map(o => ({
          itemId: o.itemId,
          ...observationView(o),
        })),
      }),
    );

    await addAttachments();

    const rowCounts = {} as Record<PopulationKind, number>;
    for (const kind of POPULATION_KINDS) {
      rowCounts[kind] = await addPopulation(kind);
    }

    await bag.addPayload(
      'completeness/changes.json',
      json({
        generatedAt: generatedAt.toISOString(),
        ...(await changeCompleteness(deps, {
          from,
          to,
          services,
          historyDays: deps.historyDays,
        })),
      }),
    );
    await bag.addPayload(
      'audit/verification.json',
      json({
        verifiedAt: new Date().toISOString(),
        head: await deps.audit.head(),
        verification: await deps.audit.verify(),
      }),
    );

    const externalIdentifier = `urn:uuid:${randomUUID()}`;
    const { payloadOxum, tagManifest } = await bag.finish({
      bagInfo: [
        ['Source-Organization', 'Lexecon'],
        ['External-Identifier', externalIdentifier],
        [
          'External-Description',
          `Lexecon SOC 2 / GDPR evidence from ${from} to ${to}`,
        ],
        ['Bag-Software-Agent', deps.generator],
        ['Lexecon-Window-From', from],
        ['Lexecon-Window-To', to],
        ['Lexecon-Generated-At', generatedAt.toISOString()],
        ['Lexecon-Generated-By', request.generatedBy],
        ['Lexecon-Sample-Seed', seed],
        [
          'Lexecon-Signature',
          'Ed25519 over tagmanifest-sha256.txt, in tagmanifest-sha256.txt.sig',
        ],
        ['Lexecon-Signing-Key-SHA256', deps.signingKey.fingerprint],
      ],
      sign: data => deps.signingKey.sign(data),
    });
    return {
      externalIdentifier,
      payloadOxum,
      tagManifestSha256: createHash('sha256').update(tagManifest).digest('hex'),
      rowCounts,
    };
  } catch (error) {
    bag.abort(error as Error);
    throw error;
  }

  /** Each attached document in force in the window, one at a time, and their index. */
  async function addAttachments() {
    const attachments = (await deps.attachments?.inWindow(from, to)) ?? [];
    const index = [];
    for (const attachment of attachments) {
      const stored = await deps.attachments!.download(
        attachment.itemId,
        attachment.id,
      );
      if (!stored) continue;
      const path = `evidence/attachments/${safeSegment(attachment.itemId)}/${
        attachment.id
      }-${safeSegment(attachment.fileName)}`;
      await bag.addPayload(path, stored.content);
      index.push({ ...attachment, path: `data/${path}` });
    }
    await bag.addPayload(
      'evidence/attachments.json',
      json({ from, to, attachments: index }),
    );
  }

  async function addPopulation<K extends PopulationKind>(kind: K) {
    const window = { from, to, services };
    const keyOf = (row: PopulationRowOf[K]) => populationKey(kind, row);
    const draw = new SampleDraw<PopulationRowOf[K]>({
      seed,
      size: PACKAGE_SAMPLE_SIZE,
    });
    const first = new PopulationTally();
    await bag.addPayload(
      `populations/${kind}.csv`,
      populationCsv(kind, deps.populations.rows(kind, window), row => {
        first.add(keyOf(row));
        draw.add(keyOf(row), row);
      }),
    );
    const second = new PopulationTally();
    await bag.addPayload(
      `populations/${kind}.json`,
      populationJson(
        kind,
        parameters,
        deps.populations.rows(kind, window),
        row => second.add(keyOf(row)),
      ),
    );
    if (first.digest() !== second.digest()) {
      throw new Error(
        `The ${kind} population changed while the package was written (a refresh replaced it): ask for the package again`,
      );
    }
    await bag.addPayload(
      `samples/${kind}.json`,
      json({
        kind,
        from,
        to,
        key: POPULATION_KEYS[kind],
        ...draw.result({ wholeWhenSmaller: true }),
      }),
    );
    return first.count;
  }
}
