export { EvidencePage } from './EvidencePage';
