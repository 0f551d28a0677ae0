import {
  Content,
  Header,
  InfoCard,
  Page,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import { GdprRegisters } from '@internal/plugin-lexecon-common';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRecordedEvidenceClient } from '../../api/RecordedEvidenceClient';
import { EvidenceReadGate } from '../shared/EvidenceReadGate';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import {
  EDIT_PROCESSING_RECORD,
  EntryAction,
  EXTEND_REQUEST,
  RECORD_COMPLETION,
  RECORD_NOTIFICATION,
} from './entryActions';
import { AddRegisterEntry, EntryActions } from './RegisterEntryDialog';
import {
  BREACH_FORM,
  PROCESSING_FORM,
  REQUEST_FORM,
  RegisterForm,
} from './registerForms';

const time = (iso?: string) =>
  iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';

function Verdict(props: { failing: boolean; words: [string, string] }) {
  return props.failing ? (
    <StatusError>{props.words[1]}</StatusError>
  ) : (
    <StatusOK>{props.words[0]}</StatusOK>
  );
}

/**
 * One register: its table (or why it is empty) and, for owners, its "Add" dialog and each
 * entry's changes.
 */
function Register<E extends { id: number }>(props: {
  title: string;
  article: string;
  form: RegisterForm;
  canWrite: boolean;
  onSaved: () => void;
  columns: string[];
  entries: E[];
  cells: (entry: E) => ReactNode[];
  actions: EntryAction<E>[];
}) {
  const columns = props.canWrite
    ? [...props.columns, 'Actions']
    : props.columns;
  return (
    <InfoCard
      title={props.title}
      subheader={props.article}
      action={
        props.canWrite ? (
          <AddRegisterEntry form={props.form} onAdded={props.onSaved} />
        ) : undefined
      }
    >
      {props.entries.length ? (
        <Table size="small" aria-label={props.title}>
          <TableHead>
            <TableRow>
              {columns.map(c => (
                <TableCell key={c}>{c}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {props.entries.map(entry => (
              <TableRow key={entry.id}>
                {props.cells(entry).map((cell, j) => (
                  <TableCell key={columns[j]}>{cell}</TableCell>
                ))}
                {props.canWrite && (
                  <TableCell>
                    <EntryActions
                      entry={entry}
                      actions={props.actions}
                      onSaved={props.onSaved}
                    />
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2">Nothing recorded.</Typography>
      )}
    </InfoCard>
  );
}

/**
 * The GDPR registers kept in the portal: data subject requests with their deadline (and the
 * counting rule each was received under), breaches with the 72-hour clock, and the records of
 * processing. Owners (lexecon.evidence.write, the answer's `canWrite`) add entries, close or
 * extend requests, record breach notifications and edit records of processing; auditors read.
 */
export function GdprRegistersContent() {
  const client = useRecordedEvidenceClient();
  const state = useAsyncRetry(() => client.gdprRegisters(), [client]);
  return (
    <LoadedOrRetry state={state}>
      {(registers: GdprRegisters) => (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Register
              title="Data subject requests"
              article={`Art. 12, 15-21: answered within one month (extendable by two); new requests count by ${registers.deadlineRule}`}
              form={REQUEST_FORM}
              canWrite={registers.canWrite}
              onSaved={state.retry}
              columns={['Reference', 'Type', 'Received', 'Deadline', 'Status']}
              entries={registers.requests}
              actions={[RECORD_COMPLETION, EXTEND_REQUEST]}
              cells={r => [
                r.reference,
                r.type,
                r.receivedOn,
                `${r.deadline} (${r.deadlineRule}${
                  r.extension ? `, extended ${r.extension.months} mo.` : ''
                })`,
                <Verdict
                  failing={r.overdue}
                  words={[
                    r.status === 'closed' ? `Closed ${r.closedOn}` : 'Open',
                    r.status === 'closed'
                      ? `Answered late ${r.closedOn}`
                      : 'Overdue',
                  ]}
                />,
              ]}
            />
          </Grid>
          <Grid item xs={12}>
            <Register
              title="Personal data breaches"
              article="Art. 33: the supervisory authority is notified within 72 hours of awareness"
              form={BREACH_FORM}
              canWrite={registers.canWrite}
              onSaved={state.retry}
              columns={['Incident', 'Breach', 'Aware', 'Notify by', 'Notified']}
              entries={registers.breaches}
              actions={[RECORD_NOTIFICATION]}
              cells={b => [
                b.incidentId,
                b.title,
                time(b.awareAt),
                time(b.notifyBy),
                <Verdict
                  failing={b.late}
                  words={[
                    b.notifiedAuthorityAt
                      ? time(b.notifiedAuthorityAt)
                      : 'Not yet, within 72 h',
                    b.notifiedAuthorityAt
                      ? `Late: ${time(b.notifiedAuthorityAt)}`
                      : 'Late: not notified',
                  ]}
                />,
              ]}
            />
          </Grid>
          <Grid item xs={12}>
            <Register
              title="Records of processing"
              article="Art. 30: purposes, categories, recipients, transfers, retention, security measures"
              form={PROCESSING_FORM}
              canWrite={registers.canWrite}
              onSaved={state.retry}
              columns={[
                'Activity',
                'Controller',
                'Purposes',
                'Retention',
                'Reviewed',
              ]}
              entries={registers.processingRecords}
              actions={[EDIT_PROCESSING_RECORD]}
              cells={p => [
                p.name,
                p.controller,
                p.purposes.join('; '),
                p.retention,
                p.reviewedOn,
              ]}
            />
          </Grid>
        </Grid>
      )}
    </LoadedOrRetry>
  );
}

/** `/lexecon/evidence/gdpr`. */
export function GdprRegistersPage() {
  return (
    <Page themeId="tool">
      <Header
        title="GDPR registers"
        subtitle="Requests, breaches and records of processing"
      />
      <Content>
        <EvidenceReadGate>
          <GdprRegistersContent />
        </EvidenceReadGate>
      </Content>
    </Page>
  );
}
