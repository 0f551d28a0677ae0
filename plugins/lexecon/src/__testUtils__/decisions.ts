import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/** Clicks Approve or Reject on a waiting run and returns the dialog that opens. */
export async function openDecision(
  runId: number,
  button: 'approve-button' | 'reject-button',
) {
  const item = await screen.findByTestId(`approval-item-${runId}`);
  await userEvent.click(within(item).getByTestId(button));
  return screen.findByTestId('decision-dialog');
}

/** The comment box of the decision dialog (the test id is on the field around it). */
export function commentBox(dialog: HTMLElement) {
  return within(within(dialog).getByTestId('decision-comment')).getByRole(
    'textbox',
  );
}

/** Writes the required comment and confirms the decision. */
export async function confirmDecision(dialog: HTMLElement, comment: string) {
  await userEvent.type(commentBox(dialog), comment);
  await userEvent.click(within(dialog).getByTestId('confirm-decision'));
}
