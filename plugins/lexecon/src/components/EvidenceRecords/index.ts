export {
  RecordedEvidenceActions,
  isRecordedItem,
} from './RecordedEvidenceActions';
export { AttachEvidenceDialog } from './AttachEvidenceDialog';
export { MarkNotApplicable } from './MarkNotApplicable';
