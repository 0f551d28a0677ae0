import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EVIDENCE_STATUSES,
  EvidenceControlsQuery,
  EvidenceControlsResponse,
  EvidenceControlView,
  EvidenceStatus,
  FRAMEWORKS,
  Framework,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useSearchParams } from 'react-router-dom';
import { lexeconApiRef } from '../../api/LexeconApi';
import { EvidenceReadGate } from '../shared/EvidenceReadGate';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import { ControlDetail } from './ControlDetail';
import { EvidencePackagePanel } from './EvidencePackagePanel';
import {
  day,
  EvidenceStatusChip,
  FRAMEWORK_LABELS,
  STATUS_WORDS,
} from './EvidenceStatusChip';

const WINDOWS = [30, 90, 180, 365] as const;
const DAY_MS = 86_400_000;

interface Filters {
  framework: Framework | '';
  control: string;
  status: EvidenceStatus | '';
  service: string;
  windowDays: number;
}

/** The newest collection and the soonest expiry over a control's items. */
function freshness(control: EvidenceControlView) {
  const latest = control.items.flatMap(i => (i.latest ? [i.latest] : []));
  if (!latest.length) return 'Never collected';
  const collected = latest
    .map(l => l.collected)
    .sort()
    .reverse()[0];
  const expires = latest.map(l => l.expires).sort()[0];
  return `Collected ${day(collected)}, expires ${day(expires)}`;
}

function Select(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<[value: string, words: string]>;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      SelectProps={{ native: true }}
      // The first option's words ("All frameworks") fill the field: the label sits above them.
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'data-testid': props.id }}
      variant="outlined"
      size="small"
    >
      {props.options.map(([value, words]) => (
        <option key={value} value={value}>
          {words}
        </option>
      ))}
    </TextField>
  );
}

function ControlsTable(props: {
  framework: Framework;
  controls: EvidenceControlView[];
  onOpen: (id: string) => void;
}) {
  const label = FRAMEWORK_LABELS[props.framework];
  return (
    <Box mb={3}>
      <Typography variant="h5" component="h2" gutterBottom>
        {label}
      </Typography>
      <Paper>
        <Table size="small" aria-label={`${label} controls`}>
          <TableHead>
            <TableRow>
              <TableCell>Control</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Freshness</TableCell>
              <TableCell>Evidence items</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.controls.map(control => (
              <TableRow
                key={control.id}
                data-testid={`evidence-control-${control.id}`}
              >
                <TableCell>
                  <Button
                    variant="text"
                    color="primary"
                    onClick={() => props.onOpen(control.id)}
                  >
                    {control.id}: {control.title}
                  </Button>
                </TableCell>
                <TableCell>
                  <EvidenceStatusChip status={control.status} />
                </TableCell>
                <TableCell>{freshness(control)}</TableCell>
                <TableCell>{control.items.length}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Box>
  );
}

type DueItem = EvidenceControlsResponse['dueNext'][number];

/** At most this many items in each list; the rest are counted. */
const DUE_SHOWN = 10;

function DueList(props: { items: DueItem[]; testId: string }) {
  const { items } = props;
  return (
    <>
      <ul data-testid={props.testId}>
        {items.slice(0, DUE_SHOWN).map(item => (
          <li key={item.id}>
            {item.controlId} {item.title}: {STATUS_WORDS[item.status]}
            {item.expires ? `, expires ${day(item.expires)}` : ''} (owner{' '}
            {item.owner})
          </li>
        ))}
      </ul>
      {items.length > DUE_SHOWN && (
        <Typography variant="body2">
          and {items.length - DUE_SHOWN} more
        </Typography>
      )}
    </>
  );
}

/** What needs someone: the signed-in owner's own items first, then the other owners'. */
function DueNext(props: { items: DueItem[] }) {
  const yours = props.items.filter(i => i.yours);
  const others = props.items.filter(i => !i.yours);
  if (!props.items.length) {
    return (
      <InfoCard title="Due next">
        <Typography>Nothing is due: every item is current.</Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Due next">
      <Typography variant="subtitle2" component="h3">
        Yours ({yours.length})
      </Typography>
      {yours.length ? (
        <DueList items={yours} testId="evidence-due-next" />
      ) : (
        <Typography paragraph data-testid="evidence-due-next">
          Nothing you or your groups own is due.
        </Typography>
      )}
      {others.length > 0 && (
        <>
          <Typography variant="subtitle2" component="h3">
            Other owners ({others.length})
          </Typography>
          <DueList items={others} testId="evidence-due-next-others" />
        </>
      )}
    </InfoCard>
  );
}

function EvidenceBody() {
  const api = useApi(lexeconApiRef);
  // A notification links to one control (`?control=CC8.1`): shown alone and opened.
  const [params] = useSearchParams();
  const linked = params.get('control') ?? '';
  const [filters, setFilters] = useState<Filters>({
    framework: '',
    control: linked,
    status: '',
    service: '',
    windowDays: 90,
  });
  const [open, setOpen] = useState<string | undefined>(linked || undefined);
  const [knownControls, setKnownControls] = useState<string[]>(
    linked ? [linked] : [],
  );
  const query = useMemo((): Partial<EvidenceControlsQuery> => {
    const to = new Date();
    return {
      ...(filters.framework ? { framework: filters.framework } : {}),
      ...(filters.control ? { control: filters.control } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.service.trim() ? { service: filters.service.trim() } : {}),
      from: new Date(to.getTime() - filters.windowDays * DAY_MS).toISOString(),
    };
  }, [filters]);
  const state = useAsyncRetry(async () => {
    const response = await api.getEvidenceControls(query);
    setKnownControls(known => [
      ...new Set([...known, ...response.controls.map(c => c.id)]),
    ]);
    return response;
  }, [api, query]);
  const set = (change: Partial<Filters>) => {
    setOpen(undefined);
    setFilters(f => ({ ...f, ...change }));
  };

  return (
    <>
      <Paper>
        <Box
          p={2}
          mb={2}
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 16 }}
        >
          <Select
            id="evidence-framework"
            label="Framework"
            value={filters.framework}
            onChange={v => set({ framework: v as Framework | '' })}
            options={[
              ['', 'All frameworks'],
              ...FRAMEWORKS.map((f): [string, string] => [
                f,
                FRAMEWORK_LABELS[f],
              ]),
            ]}
          />
          <Select
            id="evidence-control"
            label="Control"
            value={filters.control}
            onChange={v => set({ control: v })}
            options={[
              ['', 'All controls'],
              ...knownControls.map((c): [string, string] => [c, c]),
            ]}
          />
          <Select
            id="evidence-status"
            label="Status"
            value={filters.status}
            onChange={v => set({ status: v as EvidenceStatus | '' })}
            options={[
              ['', 'Any status'],
              ...EVIDENCE_STATUSES.map((s): [string, string] => [
                s,
                STATUS_WORDS[s],
              ]),
            ]}
          />
          <TextField
            id="evidence-service"
            label="Service (entity ref)"
            placeholder="component:default/lexecon-api"
            value={filters.service}
            onChange={e => set({ service: e.target.value })}
            inputProps={{ 'data-testid': 'evidence-service' }}
            variant="outlined"
            size="small"
          />
          <Select
            id="evidence-window"
            label="Observation window"
            value={String(filters.windowDays)}
            onChange={v => set({ windowDays: Number(v) })}
            options={WINDOWS.map(d => [String(d), `Last ${d} days`])}
          />
        </Box>
      </Paper>
      <LoadedOrRetry state={state}>
        {response => (
          <>
            {response.canWrite ? (
              <Box mb={2}>
                <DueNext items={response.dueNext} />
              </Box>
            ) : (
              <Typography variant="body2" paragraph>
                Read-only: evidence is collected by the portal and kept current
                by its owners.
              </Typography>
            )}
            {response.controls.length === 0 ? (
              <InfoCard title="No controls">
                <Typography data-testid="evidence-empty">
                  No control matches these filters.
                </Typography>
              </InfoCard>
            ) : (
              FRAMEWORKS.map(framework => {
                const controls = response.controls.filter(
                  c => c.framework === framework,
                );
                return controls.length ? (
                  <ControlsTable
                    key={framework}
                    framework={framework}
                    controls={controls}
                    onOpen={setOpen}
                  />
                ) : null;
              })
            )}
            {open && <ControlDetail controlId={open} query={query} />}
          </>
        )}
      </LoadedOrRetry>
      <EvidencePackagePanel from={query.from!} />
    </>
  );
}

/** The auditor's view: SOC 2 and GDPR controls with their evidence, status and freshness. */
export function EvidencePage() {
  return (
    <Page themeId="tool">
      <Header
        title="Evidence"
        subtitle="SOC 2 and GDPR controls with the evidence the portal collects, when it was collected and when it expires"
      />
      <Content>
        <div data-testid="evidence-page">
          <EvidenceReadGate>
            <EvidenceBody />
          </EvidenceReadGate>
        </div>
      </Content>
    </Page>
  );
}
