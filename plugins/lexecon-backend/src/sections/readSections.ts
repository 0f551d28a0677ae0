import {
  ApprovalsInbox,
  EntitySections,
  SectionData,
  SectionId,
  SOURCE_IDS,
} from '@internal/plugin-lexecon-common';
import { EntityTarget } from '../EntityTarget';
import { DeploymentHistoryService } from '../service/DeploymentHistoryService';
import { ReliabilityService } from '../service/ReliabilityService';
import { sectionSummaries, SnapshotReader } from '../snapshots/SnapshotReader';

export interface SectionSources {
  reader: SnapshotReader;
  deployments: DeploymentHistoryService;
  reliability: ReliabilityService;
  /** The entity's waiting runs as the caller may see them (eligibility depends on who asks). */
  approvals: () => Promise<ApprovalsInbox>;
}

const RELIABILITY_SECTIONS: readonly SectionId[] = ['flags', 'sla', 'health'];

/**
 * Every declared section of the entity with its status, from one metadata read of its
 * snapshots, and the data of the sections in `include`, each assembled by the service that owns
 * it. Sections not asked for cost nothing beyond that one read.
 */
export async function readSections(
  sources: SectionSources,
  target: EntityTarget,
  include: readonly SectionId[],
): Promise<EntitySections> {
  const metadata = await sources.reader.readMany(target, SOURCE_IDS, {
    withData: false,
  });
  const sections: EntitySections['sections'] = sectionSummaries(metadata);
  const wants = (id: SectionId) => include.includes(id);
  const [deployments, reliability, approvals] = await Promise.all([
    wants('deployments')
      ? sources.deployments.getOverview(target, metadata)
      : undefined,
    RELIABILITY_SECTIONS.some(wants)
      ? sources.reliability.getReliability(target)
      : undefined,
    wants('approvals') ? sources.approvals() : undefined,
  ]);
  if (deployments) sections.deployments = deployments;
  if (reliability) {
    if (wants('flags')) sections.flags = reliability.sections.flags;
    if (wants('sla')) sections.sla = reliability.sections.sla;
    if (wants('health')) sections.health = reliability.sections.health;
  }
  if (approvals) {
    sections.approvals = {
      ...sections.approvals,
      data: approvals satisfies SectionData['approvals'],
    };
  }
  return { entityRef: target.entityRef, sections };
}
