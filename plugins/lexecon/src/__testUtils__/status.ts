/**
 * The one Backstage status badge (StatusOK, StatusWarning, StatusError) inside `container`, as
 * a person reads it: its colour and its words, e.g. `Status error: Breached`.
 */
export function shownStatus(container: HTMLElement): string {
  const badges = container.querySelectorAll('[aria-label^="Status "]');
  if (badges.length !== 1) {
    throw new Error(`Expected one status badge, found ${badges.length}`);
  }
  return `${badges[0].getAttribute('aria-label')}: ${badges[0].textContent}`;
}
