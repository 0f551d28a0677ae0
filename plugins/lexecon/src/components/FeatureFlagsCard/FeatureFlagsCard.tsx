import { InfoCard, Link } from '@backstage/core-components';
import {
  FeatureFlag,
  FeatureFlagsOverview,
  Section,
} from '@internal/plugin-lexecon-common';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import IconButton from '@material-ui/core/IconButton';
import HistoryIcon from '@material-ui/icons/History';
import { useId, useState } from 'react';
import { RelativeTime } from '../shared/RelativeTime';
import { SectionState } from '../shared/SectionState';

function FlagHistoryDialog(props: { flag?: FeatureFlag; onClose(): void }) {
  const { flag, onClose } = props;
  const titleId = useId();
  return (
    <Dialog
      open={Boolean(flag)}
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={titleId}>Change history of {flag?.name}</DialogTitle>
      <DialogContent>
        {flag?.url && (
          <Typography variant="body2" paragraph>
            <Link to={flag.url}>Open {flag.name} in Unleash</Link>
          </Typography>
        )}
        {flag && flag.history.length === 0 && (
          <Typography>
            No changes in the period Unleash was asked for.
          </Typography>
        )}
        <Table size="small">
          <TableBody>
            {flag?.history.map(change => (
              <TableRow key={change.id} data-testid="flag-change">
                <TableCell>
                  <RelativeTime value={change.createdAt} />
                </TableCell>
                <TableCell>{change.description}</TableCell>
                <TableCell>{change.createdBy}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
    </Dialog>
  );
}

/** Every flag of the entity's Unleash project: state per environment, last change, stale marker. */
export function FeatureFlagsCard(props: {
  section: Section<FeatureFlagsOverview>;
}) {
  const [open, setOpen] = useState<FeatureFlag>();
  return (
    <InfoCard title="Feature flags">
      <SectionState section={props.section} title="Feature flags">
        {data =>
          data.flags.length === 0 ? (
            <Typography>
              The Unleash project {data.project} has no flags.
            </Typography>
          ) : (
            <Table size="small" aria-label="Feature flags">
              <TableHead>
                <TableRow>
                  <TableCell>Flag</TableCell>
                  {data.environments.map(env => (
                    <TableCell key={env} style={{ whiteSpace: 'nowrap' }}>
                      {env}
                    </TableCell>
                  ))}
                  <TableCell>Last changed</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.flags.map(flag => (
                  <TableRow
                    key={flag.name}
                    hover
                    style={{ cursor: 'pointer' }}
                    data-testid="flag-row"
                    onClick={() => setOpen(flag)}
                  >
                    <TableCell>
                      <Typography variant="body2" component="div">
                        <strong>{flag.name}</strong>{' '}
                        {/* The row opens the history on a click; this is the way for the keyboard. */}
                        <Tooltip title="Change history">
                          <IconButton
                            size="small"
                            aria-label={`Change history of ${flag.name}`}
                            onClick={event => {
                              event.stopPropagation();
                              setOpen(flag);
                            }}
                          >
                            <HistoryIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>{' '}
                        {flag.stale && (
                          // The secondary colour is below 4.5:1 behind white text in the light theme.
                          <Chip size="small" label="stale" variant="outlined" />
                        )}
                      </Typography>
                      <Typography variant="caption" color="textSecondary">
                        {flag.description}
                      </Typography>
                    </TableCell>
                    {data.environments.map(env => {
                      const state = flag.environments.find(
                        e => e.environment === env,
                      );
                      return (
                        <TableCell
                          key={env}
                          data-testid={`flag-${flag.name}-${env}`}
                        >
                          <Chip
                            size="small"
                            label={state?.enabled ? 'on' : 'off'}
                            color={state?.enabled ? 'primary' : 'default'}
                          />
                          {state?.enabled && (
                            <Typography variant="caption" component="div">
                              {state.summary}
                            </Typography>
                          )}
                        </TableCell>
                      );
                    })}
                    <TableCell>
                      {flag.lastChange ? (
                        <>
                          <Typography variant="body2">
                            {flag.lastChange.description}
                          </Typography>
                          <Typography variant="caption" color="textSecondary">
                            {flag.lastChange.createdBy},{' '}
                            <RelativeTime value={flag.lastChange.createdAt} />
                          </Typography>
                        </>
                      ) : (
                        '—'
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </SectionState>
      <FlagHistoryDialog flag={open} onClose={() => setOpen(undefined)} />
    </InfoCard>
  );
}
