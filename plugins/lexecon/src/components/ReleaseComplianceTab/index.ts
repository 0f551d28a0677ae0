export { ReleaseComplianceTab } from './ReleaseComplianceTab';
export type { ReleaseComplianceTabProps } from './ReleaseComplianceTab';
