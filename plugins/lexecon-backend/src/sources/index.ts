import { awsCostRegistration } from './aws/registration';
import { githubApprovalsRegistration } from './github/githubApprovalsRegistration';
import { githubCiRunsRegistration } from './github/githubCiRunsRegistration';
import { githubDeploymentsRegistration } from './github/githubDeploymentsRegistration';
import { githubEvidenceRegistration } from './github/githubEvidenceRegistration';
import { portalEvidenceRegistration } from './evidence/registration';
import { serviceHealthRegistration } from './health/registration';
import { helmReleaseRegistration } from './kubernetes/registration';
import {
  datadogDecisionsRegistration,
  datadogRegistration,
} from './datadog/registration';
import { gcpBillingRegistration } from './gcp/registration';
import { opencostRegistration } from './opencost/registration';
import { SourceRegistration } from './registry';
import { unleashRegistration } from './unleash/registration';

/** Every upstream source of the portal. A new source is a folder and one line here. */
export const SOURCE_REGISTRATIONS: readonly SourceRegistration[] = [
  githubDeploymentsRegistration,
  helmReleaseRegistration,
  githubApprovalsRegistration,
  unleashRegistration,
  datadogRegistration,
  serviceHealthRegistration,
  awsCostRegistration,
  opencostRegistration,
  gcpBillingRegistration,
  datadogDecisionsRegistration,
  githubCiRunsRegistration,
  portalEvidenceRegistration,
  githubEvidenceRegistration,
];
