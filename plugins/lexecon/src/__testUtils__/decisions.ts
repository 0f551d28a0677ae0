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

/**
 * Puts `text` into the comment box as a paste: one input event. Typing it key by key re-renders
 * the dialog (and measures the auto-growing text area) once per character, which made these tests
 * take tens of seconds on a busy 2-core machine without testing anything more.
 */
export async function writeComment(dialog: HTMLElement, text: string) {
  await userEvent.click(commentBox(dialog));
  await userEvent.paste(text);
}

/** Writes the required comment and confirms the decision. */
export async function confirmDecision(dialog: HTMLElement, comment: string) {
  await writeComment(dialog, comment);
  await userEvent.click(within(dialog).getByTestId('confirm-decision'));
}
