import { usePermission } from '@backstage/plugin-permission-react';
import {
  EvidenceItem,
  lexeconEvidenceWritePermission,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import { AttachEvidenceDialog } from './AttachEvidenceDialog';
import { MarkNotApplicable } from './MarkNotApplicable';

/** Items whose evidence owners record in the portal (the catalog's `upload` source). */
export const isRecordedItem = (item: Pick<EvidenceItem, 'source'>) =>
  item.source === 'upload';

/**
 * The owner's actions on a recorded evidence item: attach a document, mark it not applicable or
 * withdraw that. Nothing for people without lexecon.evidence.write (auditors read only), nor for
 * items another source collects.
 */
export function RecordedEvidenceActions(props: {
  item: Pick<EvidenceItem, 'id' | 'title' | 'source'> & { status?: string };
  onChanged: () => void;
}) {
  const write = usePermission({ permission: lexeconEvidenceWritePermission });
  if (!isRecordedItem(props.item) || write.loading || !write.allowed) {
    return null;
  }
  return (
    <Box
      display="flex"
      gridGap={8}
      flexWrap="wrap"
      data-testid="recorded-evidence-actions"
    >
      <AttachEvidenceDialog item={props.item} onAttached={props.onChanged} />
      <MarkNotApplicable
        item={props.item}
        marked={props.item.status === 'not-applicable'}
        onChanged={props.onChanged}
      />
    </Box>
  );
}
