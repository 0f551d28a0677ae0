import { LifecycleService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AwsFeedbackSender } from '../../cost/acknowledgeCostAnomaly';
import { readAwsCostConfig } from './awsCostConfig';
import { CostExplorerClient } from './CostExplorerClient';

/**
 * Sends AWS's anomaly feedback with the configured Cost Explorer credentials; undefined when
 * Cost Explorer is not configured. Not counted against the daily cap of reads: a person's
 * acknowledgement is never held back for a day.
 */
export function awsFeedbackSender(
  config: Config,
  lifecycle: LifecycleService,
): AwsFeedbackSender | undefined {
  const aws = readAwsCostConfig(config);
  if (!aws) return undefined;
  const client = new CostExplorerClient(aws.client);
  lifecycle.addShutdownHook(() => client.destroy());
  return (anomalyId, feedback) =>
    client.provideAnomalyFeedback(anomalyId, feedback);
}
