export { DeploymentsCard } from './DeploymentsCard';
export type { DeploymentsCardProps } from './DeploymentsCard';
