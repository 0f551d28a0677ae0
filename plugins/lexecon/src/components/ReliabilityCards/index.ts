export { ReliabilityCards } from './ReliabilityCards';
