export { ApprovalsPage } from './ApprovalsPage';
export { WaitingForApprovalCard } from './WaitingForApprovalCard';
export type { WaitingForApprovalCardProps } from './WaitingForApprovalCard';
