import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EvidenceControlsQuery,
  EvidenceItemView,
} from '@internal/plugin-lexecon-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lexeconApiRef } from '../../api/LexeconApi';
import { RecordedEvidenceActions } from '../EvidenceRecords';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import {
  ChangePopulationPanel,
  CHANGE_POPULATION_ITEM,
} from './ChangePopulationPanel';
import { day, EvidenceStatusChip } from './EvidenceStatusChip';

function ItemRow(props: { item: EvidenceItemView; onChanged: () => void }) {
  const { item } = props;
  const latest = item.latest;
  return (
    <TableRow data-testid={`evidence-item-${item.id}`}>
      <TableCell>
        {item.title}
        <Typography variant="caption" component="div">
          {item.source}, {item.cadence}; owner {item.owner}
        </Typography>
        <RecordedEvidenceActions item={item} onChanged={props.onChanged} />
      </TableCell>
      <TableCell>
        <EvidenceStatusChip status={item.status} />
        <Typography variant="caption" component="div">
          {item.reason}
        </Typography>
      </TableCell>
      <TableCell>{day(latest?.collected)}</TableCell>
      <TableCell>{day(latest?.expires)}</TableCell>
      <TableCell>
        {latest?.sourceUrl ? (
          <Link to={latest.sourceUrl}>Source of {item.title}</Link>
        ) : (
          '—'
        )}
      </TableCell>
    </TableRow>
  );
}

/** One control opened: its items with status, reason, dates and source link, and the history. */
export function ControlDetail(props: {
  controlId: string;
  query: Partial<EvidenceControlsQuery>;
}) {
  const api = useApi(lexeconApiRef);
  const { controlId, query } = props;
  const state = useAsyncRetry(
    () => api.getEvidenceControl(controlId, query),
    [api, controlId, JSON.stringify(query)],
  );
  return (
    <LoadedOrRetry state={state}>
      {detail => (
        <InfoCard
          title={`${detail.control.id}: ${detail.control.title}`}
          subheader={detail.control.description}
        >
          <div data-testid="evidence-control-detail">
            <Table size="small" aria-label={`Evidence of ${detail.control.id}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Evidence item</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Collected</TableCell>
                  <TableCell>Expires</TableCell>
                  <TableCell>Source</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {detail.control.items.map(item => (
                  <ItemRow key={item.id} item={item} onChanged={state.retry} />
                ))}
              </TableBody>
            </Table>
            {detail.control.items.some(
              i => i.id === CHANGE_POPULATION_ITEM,
            ) && (
              // The window the control's observations were read for, as the backend resolved it.
              <ChangePopulationPanel from={detail.from} to={detail.to} />
            )}
            <Typography variant="subtitle2" style={{ marginTop: 16 }}>
              {detail.observations.length} observation
              {detail.observations.length === 1 ? '' : 's'} from{' '}
              {day(detail.from)} to {day(detail.to)}
            </Typography>
            {detail.observations.length > 0 && (
              <Table
                size="small"
                aria-label={`Observations of ${detail.control.id} in the window`}
              >
                <TableHead>
                  <TableRow>
                    <TableCell>Item</TableCell>
                    <TableCell>Service</TableCell>
                    <TableCell>Status</TableCell>
                    <TableCell>First seen</TableCell>
                    <TableCell>Collected</TableCell>
                    <TableCell>Expires</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {detail.observations.map(o => (
                    <TableRow
                      key={`${o.itemId}-${o.entityRef}-${o.firstCollected}`}
                    >
                      <TableCell>{o.itemId}</TableCell>
                      <TableCell>{o.entityRef ?? 'Portal-wide'}</TableCell>
                      <TableCell>
                        <EvidenceStatusChip status={o.status} /> {o.reason}
                      </TableCell>
                      <TableCell>{day(o.firstCollected)}</TableCell>
                      <TableCell>{day(o.collected)}</TableCell>
                      <TableCell>{day(o.expires)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </div>
        </InfoCard>
      )}
    </LoadedOrRetry>
  );
}
