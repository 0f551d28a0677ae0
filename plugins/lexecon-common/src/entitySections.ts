import { z } from 'zod';
import type { ApprovalsInbox } from './approvals';
import type {
  FeatureFlagsOverview,
  ServiceHealth,
  SlaOverview,
} from './reliability';
import { SECTION_IDS, SectionId } from './sources';
import type { DeploymentsOverview, Section } from './types';

/** What each section carries when it is asked for. */
export interface SectionData {
  deployments: DeploymentsOverview;
  approvals: ApprovalsInbox;
  flags: FeatureFlagsOverview;
  sla: SlaOverview;
  health: ServiceHealth;
}

/**
 * Every section of one entity, each with its status and sources; the sections asked for in
 * `include` also carry their data. The one shape of the entity routes: the overview is this with
 * the deploy history included, the reliability view with flags, SLA and health.
 */
export interface EntitySections {
  entityRef: string;
  sections: { [K in SectionId]: Section<SectionData[K]> };
}

/** `?include=flags,sla`: the sections whose data to send, by declared id. */
export const entitySectionsQuerySchema = z.object({
  include: z
    .string()
    .max(200)
    .optional()
    .transform(value =>
      (value ?? '')
        .split(',')
        .map(id => id.trim())
        .filter(Boolean),
    )
    .refine(
      ids => ids.every(id => (SECTION_IDS as readonly string[]).includes(id)),
      { message: `must list sections among ${SECTION_IDS.join(', ')}` },
    )
    .transform(ids => ids as SectionId[]),
});
