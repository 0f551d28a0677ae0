import { Config } from '@backstage/config';
import {
  DELIVERY_WINDOWS,
  DeliveryWindow,
} from '@internal/plugin-lexecon-common';

const INCIDENT_WINDOW_KEY = 'lexecon.delivery.incidentWindowMinutes';
const DEFAULT_WINDOW_KEY = 'lexecon.delivery.defaultWindow';
/** A week: an incident later than that is no longer the deploy's doing. */
const MAX_INCIDENT_WINDOW_MINUTES = 7 * 24 * 60;

export interface DeliveryConfig {
  /** An incident starting this soon after a production deploy counts the deploy as failed. */
  incidentWindowMinutes: number;
  /** The window of a delivery view that names none. */
  defaultWindow: DeliveryWindow;
}

const isWindow = (value: string): value is DeliveryWindow =>
  (DELIVERY_WINDOWS as readonly string[]).includes(value);

/**
 * Reads `lexecon.delivery.incidentWindowMinutes` (default: the change window of the reliability
 * views, so both pages blame the same deploys) and `lexecon.delivery.defaultWindow` (default 90d).
 */
export function readDeliveryConfig(
  root: Config,
  defaults: { changeWindowMinutes: number },
): DeliveryConfig {
  const incidentWindowMinutes =
    root.getOptionalNumber(INCIDENT_WINDOW_KEY) ?? defaults.changeWindowMinutes;
  if (
    !Number.isInteger(incidentWindowMinutes) ||
    incidentWindowMinutes < 1 ||
    incidentWindowMinutes > MAX_INCIDENT_WINDOW_MINUTES
  ) {
    throw new Error(
      `${INCIDENT_WINDOW_KEY} must be a whole number of minutes between 1 and ${MAX_INCIDENT_WINDOW_MINUTES}, not ${incidentWindowMinutes}`,
    );
  }
  const defaultWindow = root.getOptionalString(DEFAULT_WINDOW_KEY) ?? '90d';
  if (!isWindow(defaultWindow)) {
    throw new Error(
      `${DEFAULT_WINDOW_KEY} must be one of ${DELIVERY_WINDOWS.join(
        ', ',
      )}, not "${defaultWindow}"`,
    );
  }
  return { incidentWindowMinutes, defaultWindow };
}
