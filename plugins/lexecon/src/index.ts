/**
 * Release & Compliance tab for Backstage entity pages: deploys per environment, history,
 * rollbacks and changelogs.
 *
 * @packageDocumentation
 */
export {
  lexeconPlugin,
  EntityLexeconContent,
  LexeconApprovalsPage,
  LexeconOnCallPage,
  LexeconCostPortfolioPage,
  LexeconDeliveryPortfolioPage,
  LexeconEvidencePage,
  LexeconGdprRegistersPage,
} from './plugin';
export { isLexeconAvailable } from './availability';
export { lexeconApiRef, LexeconClient } from './api/LexeconApi';
export type {
  LexeconApi,
  DeploymentsQueryOptions,
  DecisionRequest,
  AuditQueryOptions,
} from './api/LexeconApi';
export { ReleaseComplianceTab } from './components/ReleaseComplianceTab';
export { DeploymentsCard } from './components/DeploymentsCard';
export type { DeploymentsCardProps } from './components/DeploymentsCard';
export { ChangelogDialog } from './components/ChangelogDialog';
export type { ChangelogDialogProps } from './components/ChangelogDialog';
export { ApprovalsPage, WaitingForApprovalCard } from './components/Approvals';
export type { WaitingForApprovalCardProps } from './components/Approvals';
export { FeatureFlagsCard } from './components/FeatureFlagsCard';
export { SlaCard } from './components/SlaCard';
export { OnCallPage } from './components/OnCallPage';
export { CostPortfolioPage } from './components/CostPortfolioPage';
export { DeliveryCard } from './components/DeliveryCard';
export type { DeliveryCardProps } from './components/DeliveryCard';
export { DeliveryPortfolioPage } from './components/DeliveryPortfolioPage';
export { EvidencePage } from './components/EvidencePage';
export { EvidenceCard } from './components/EvidenceCard';
export {
  GdprRegistersPage,
  GdprRegistersContent,
} from './components/GdprRegisters';
export {
  RecordedEvidenceActions,
  AttachEvidenceDialog,
  MarkNotApplicable,
} from './components/EvidenceRecords';
export type { EvidenceCardProps } from './components/EvidenceCard';
