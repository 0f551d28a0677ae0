import { ChangePopulationCompleteness } from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { day } from './EvidenceStatusChip';

const deployments = (n: number) => `${n} deployment${n === 1 ? '' : 's'}`;

function MissingTable(props: {
  missing: ChangePopulationCompleteness['missing'];
}) {
  return (
    <Table
      size="small"
      aria-label="Deployments GitHub lists that the population lacks"
      data-testid="change-population-missing"
    >
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell>Deployment id</TableCell>
          <TableCell>Commit</TableCell>
          <TableCell>Created</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.missing.map(m => (
          <TableRow key={`${m.entityRef} ${m.deploymentId}`}>
            <TableCell component="th" scope="row" role="rowheader">
              {m.entityRef}
            </TableCell>
            <TableCell>{m.deploymentId}</TableCell>
            <TableCell>
              <code title={m.sha}>{m.sha.slice(0, 7)}</code>
            </TableCell>
            <TableCell>{day(m.createdAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The population against GitHub's own list of production deployments. It says "complete" only
 * when the backend did: a list it could not read leaves the check incomplete.
 */
export function PopulationCompleteness(props: {
  completeness: ChangePopulationCompleteness;
}) {
  const { complete, expected, found, missing, extra, unreadable } =
    props.completeness;
  const notApplicable = props.completeness.notApplicable ?? [];
  return (
    <Box data-testid="change-population-completeness">
      {complete ? (
        <Typography variant="body2" paragraph>
          {expected === 0
            ? 'Complete: GitHub lists no deployments for production in the window, so none is missing from the population.'
            : `Complete: every one of the ${deployments(
                expected,
              )} GitHub lists for production in the window is in the population.`}
        </Typography>
      ) : (
        <Alert severity="error">
          <Typography variant="body2" paragraph>
            Not complete: the population holds {found} of the{' '}
            {deployments(expected)} GitHub lists for production in the window
            {missing.length ? `; ${missing.length} missing:` : '.'}
          </Typography>
          {missing.length > 0 && <MissingTable missing={missing} />}
          {unreadable.length > 0 && (
            <>
              <Typography variant="body2">
                GitHub&apos;s deployments could not be read for:
              </Typography>
              <ul>
                {unreadable.map(u => (
                  <li key={u.entityRef}>
                    {u.entityRef}: {u.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Alert>
      )}
      {notApplicable.length > 0 && (
        <Typography variant="body2" paragraph>
          Not checked:{' '}
          {notApplicable.map(n => `${n.entityRef} (${n.reason})`).join('; ')}.
        </Typography>
      )}
      {extra.length > 0 && (
        <Alert severity="info">
          <Typography variant="body2">
            In the population but not in GitHub&apos;s list:
          </Typography>
          <ul>
            {extra.map(x => (
              <li key={`${x.entityRef} ${x.deployId}`}>
                {x.entityRef} {x.deployId}: {x.reason}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </Box>
  );
}
