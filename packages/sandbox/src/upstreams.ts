import { awsUpstream } from './aws/server';
import { bigqueryUpstream } from './bigquery/server';
import { datadogUpstream } from './datadog/server';
import { githubUpstream } from './github/server';
import { healthUpstream } from './health/server';
import { kubernetesUpstream } from './kubernetes/server';
import { oidcUpstream } from './oidc/server';
import { opencostUpstream } from './opencost/server';
import { slackUpstream } from './slack/server';
import { unleashUpstream } from './unleash/server';
import type { UpstreamModule } from './upstream';

/** Every fake upstream the sandbox starts, in the order it starts them. */
export const UPSTREAMS: readonly UpstreamModule[] = [
  githubUpstream,
  kubernetesUpstream,
  unleashUpstream,
  datadogUpstream,
  healthUpstream,
  oidcUpstream,
  awsUpstream,
  opencostUpstream,
  bigqueryUpstream,
  slackUpstream,
];
