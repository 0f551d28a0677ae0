import { ConflictDetails } from '@internal/plugin-lexecon-common';

/**
 * An error answered with a specific status and a message written for people. Used where
 * Backstage's error classes have no matching status (422, 502, 504) or a body needs details.
 */
export class ApprovalHttpError extends Error {
  constructor(
    readonly statusCode: number,
    name: string,
    message: string,
    readonly conflict?: ConflictDetails,
  ) {
    super(message);
    this.name = name;
  }
}

export const conflict = (message: string, details: ConflictDetails) =>
  new ApprovalHttpError(409, 'ConflictError', message, details);
