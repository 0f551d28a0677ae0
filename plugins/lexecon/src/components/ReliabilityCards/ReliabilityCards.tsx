import { CompoundEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FeatureFlagsCard } from '../FeatureFlagsCard';
import { SlaCard } from '../SlaCard';

/**
 * The flags and SLA cards of the entity tab. Renders nothing in an app that does not register
 * the reliability API, so the tab still works there.
 */
export function ReliabilityCards(props: {
  entityRef: CompoundEntityRef;
  /** Changing it reloads the cards (after a refresh). */
  reloadKey?: number;
}) {
  const api = useApiHolder().get(lexeconApiRef);
  const { entityRef, reloadKey } = props;
  const state = useAsyncRetry(
    async () => api?.getReliability(entityRef),
    [api, entityRef.kind, entityRef.namespace, entityRef.name, reloadKey],
  );
  if (!api) return null;
  if (state.loading && !state.value) {
    return (
      <Grid item xs={12}>
        <Progress />
      </Grid>
    );
  }
  if (state.error || !state.value) {
    return (
      <Grid item xs={12}>
        <ResponseErrorPanel
          error={state.error ?? new Error('No answer from the backend')}
        />
      </Grid>
    );
  }
  const { flags, sla, health } = state.value.sections;
  return (
    <>
      <Grid item xs={12}>
        <SlaCard section={sla} health={health} />
      </Grid>
      <Grid item xs={12}>
        <FeatureFlagsCard section={flags} />
      </Grid>
    </>
  );
}
