import { z } from 'zod';
import type { DeploymentResult } from './types';

export const DEPLOYMENT_RESULTS: DeploymentResult[] = [
  'success',
  'failed',
  'cancelled',
  'rolled_back',
  'in_progress',
  'waiting',
];

const refPart = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must be letters, digits, ".", "_" or "-"',
  );

/** Path parameters naming a catalog entity: `/entities/:namespace/:kind/:name`. */
export const entityRefParamsSchema = z.object({
  namespace: refPart,
  kind: refPart,
  name: refPart,
});

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** Query string of `GET .../deployments`. */
export const deploymentsQuerySchema = z
  .object({
    environment: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[A-Za-z0-9._-]+$/, 'must be an environment name')
      .optional(),
    result: z
      .enum(DEPLOYMENT_RESULTS as [DeploymentResult, ...DeploymentResult[]])
      .optional(),
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_PAGE_SIZE),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a cursor this API returned')
      .optional(),
  })
  .strict();

export type DeploymentsQuery = z.infer<typeof deploymentsQuerySchema>;
