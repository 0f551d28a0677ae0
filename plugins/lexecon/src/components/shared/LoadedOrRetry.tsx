import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ReactNode } from 'react';

/** A read's loading, its error with Retry, or its value (kept on screen while it reloads). */
export function LoadedOrRetry<T>(props: {
  state: { loading: boolean; error?: Error; value?: T; retry: () => void };
  children: (value: T) => ReactNode;
}) {
  const { state, children } = props;
  if (state.loading && !state.value) return <Progress />;
  if (state.error || !state.value) {
    return (
      <>
        <ResponseErrorPanel
          error={state.error ?? new Error('No answer from the backend')}
        />
        <Box mt={1}>
          <Button variant="outlined" onClick={state.retry}>
            Retry
          </Button>
        </Box>
      </>
    );
  }
  return <>{children(state.value)}</>;
}
