export { ChangelogDialog } from './ChangelogDialog';
export type { ChangelogDialogProps, ChangelogTarget } from './ChangelogDialog';
