export { CostCard, COST_ANNOTATIONS_DOCS_URL } from './CostCard';
export type { CostCardProps } from './CostCard';
