export { EvidenceCard } from './EvidenceCard';
export type { EvidenceCardProps } from './EvidenceCard';
