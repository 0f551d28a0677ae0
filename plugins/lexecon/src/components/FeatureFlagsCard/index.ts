export { FeatureFlagsCard } from './FeatureFlagsCard';
