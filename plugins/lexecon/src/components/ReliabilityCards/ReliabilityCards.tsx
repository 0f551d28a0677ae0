import { CompoundEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { useLexecon } from '../../api/useLexecon';
import { FeatureFlagsCard } from '../FeatureFlagsCard';
import { SlaCard } from '../SlaCard';

/** The SLA and flags cards of the entity tab; they reload when the entity's data changed. */
export function ReliabilityCards(props: { entityRef: CompoundEntityRef }) {
  const { entityRef } = props;
  const state = useLexecon(
    api => api.getReliability(entityRef),
    [entityRef.kind, entityRef.namespace, entityRef.name],
  );
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
