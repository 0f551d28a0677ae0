import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ChangePopulation,
  ChangePopulationRow,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lexeconApiRef } from '../../api/LexeconApi';
import { saveBlob } from '../CostPortfolioPage/saveBlob';
import { errorMessage } from '../shared/format';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import { day } from './EvidenceStatusChip';
import { PopulationCompleteness } from './PopulationCompleteness';

/** The evidence item whose control shows the panel. */
export const CHANGE_POPULATION_ITEM = 'cc8.1-change-population';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A deploy whose approver could not be checked against its authors, with nothing else wrong. */
const unverified = (r: ChangePopulationRow) =>
  Boolean(r.approver) && r.approverNotAuthor === null && !r.exceptions.length;

function Version(props: { row: ChangePopulationRow }) {
  const { row } = props;
  return row.runUrl ? (
    <Link to={row.runUrl}>{row.version}</Link>
  ) : (
    <>{row.version}</>
  );
}

function Downloads(props: { population: ChangePopulation }) {
  const api = useApi(lexeconApiRef);
  const { from, to } = props.population.parameters;
  const name = `lexecon-change-population-${day(from)}-${day(to)}`;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function csv() {
    setBusy(true);
    setError(undefined);
    try {
      saveBlob(await api.getChangePopulationCsv({ from, to }), `${name}.csv`);
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  }

  function json() {
    const text = JSON.stringify(props.population, null, 2);
    saveBlob(new Blob([text], { type: 'application/json' }), `${name}.json`);
  }

  return (
    <Box mb={2}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <Button variant="outlined" onClick={csv} disabled={busy}>
          {busy ? 'Writing the CSV…' : 'Download CSV'}
        </Button>
        <Button variant="outlined" onClick={json}>
          Download JSON
        </Button>
      </Box>
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
    </Box>
  );
}

function Summary(props: { population: ChangePopulation }) {
  const { population } = props;
  const { from, to, services } = population.parameters;
  const unchecked = population.rows.filter(unverified).length;
  return (
    <>
      <Typography paragraph data-testid="change-population-summary">
        {plural(population.rowCount, 'production deploy')} from {day(from)} to{' '}
        {day(to)}, {plural(population.exceptionCount, 'exception')}, {unchecked}{' '}
        whose approver could not be checked against the authors.
      </Typography>
      <details>
        <summary>How the rows were selected</summary>
        <Typography variant="body2" paragraph>
          {population.query}
        </Typography>
        <Typography variant="body2" paragraph>
          From {from} to {to}, over {plural(services.length, 'service')}
          {services.length ? `: ${services.join(', ')}` : ''}. Generated{' '}
          {population.generatedAt}.
        </Typography>
      </details>
      <Downloads population={population} />
    </>
  );
}

/** One table of deploys: service, version linked to its run, started, approver, and `last`. */
function DeployTable(props: {
  label: string;
  testId: string;
  lastHeader: string;
  rows: ChangePopulationRow[];
  last: (row: ChangePopulationRow) => ReactNode;
}) {
  return (
    <Table size="small" aria-label={props.label} data-testid={props.testId}>
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell>Version</TableCell>
          <TableCell>Started</TableCell>
          <TableCell>Approver</TableCell>
          <TableCell>{props.lastHeader}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={`${row.entityRef} ${row.deployId}`}>
            <TableCell component="th" scope="row" role="rowheader">
              {row.entityRef}
            </TableCell>
            <TableCell>
              <Version row={row} />
            </TableCell>
            <TableCell>{day(row.startedAt)}</TableCell>
            <TableCell>{row.approver ?? 'none'}</TableCell>
            <TableCell>{props.last(row)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Exceptions(props: { rows: ChangePopulationRow[] }) {
  const rows = props.rows.filter(r => r.exceptions.length > 0);
  return (
    <Box mt={2}>
      <Typography variant="subtitle1" component="h4" gutterBottom>
        Exceptions
      </Typography>
      {rows.length ? (
        <DeployTable
          label="Exceptions in the change population"
          testId="change-population-exceptions"
          lastHeader="Exceptions"
          rows={rows}
          last={row =>
            row.exceptions.map((e, i) => (
              <Typography key={i} variant="body2" component="div">
                {e}
              </Typography>
            ))
          }
        />
      ) : (
        <Typography variant="body2" data-testid="change-population-exceptions">
          No exceptions in the window
        </Typography>
      )}
    </Box>
  );
}

function Unverified(props: { rows: ChangePopulationRow[] }) {
  const rows = props.rows.filter(unverified);
  if (!rows.length) return null;
  return (
    <Box mt={2}>
      <Typography variant="subtitle1" component="h4" gutterBottom>
        Cannot be checked
      </Typography>
      <Typography variant="body2" paragraph>
        Deploys with an approver and no exception, whose approver could not be
        checked against the change&apos;s authors.
      </Typography>
      <DeployTable
        label="Deploys whose approver cannot be checked against the authors"
        testId="change-population-unverified"
        lastHeader="Why it cannot be checked"
        rows={rows}
        last={row => row.authorsUnknown ?? 'the authors are unknown'}
      />
    </Box>
  );
}

/**
 * CC8.1's change population of a window: the counts, how the rows were selected, the downloads,
 * the completeness check against GitHub, the exceptions and the deploys that cannot be checked.
 * The population and the completeness check load (and fail) separately.
 */
export function ChangePopulationPanel(props: { from: string; to: string }) {
  const api = useApi(lexeconApiRef);
  const { from, to } = props;
  const population = useAsyncRetry(
    () => api.getChangePopulation({ from, to }),
    [api, from, to],
  );
  const completeness = useAsyncRetry(
    () => api.getChangePopulationCompleteness({ from, to }),
    [api, from, to],
  );
  return (
    <Box mt={3} data-testid="change-population-panel">
      <Typography variant="h6" component="h3" gutterBottom>
        Change population
      </Typography>
      <section aria-label="Change population summary">
        <LoadedOrRetry state={population}>
          {value => <Summary population={value} />}
        </LoadedOrRetry>
      </section>
      <section aria-label="Completeness against GitHub">
        <Typography variant="subtitle1" component="h4" gutterBottom>
          Completeness against GitHub
        </Typography>
        <LoadedOrRetry state={completeness}>
          {value => <PopulationCompleteness completeness={value} />}
        </LoadedOrRetry>
      </section>
      {population.value && (
        <section aria-label="Change population exceptions">
          <Exceptions rows={population.value.rows} />
          <Unverified rows={population.value.rows} />
        </section>
      )}
    </Box>
  );
}
