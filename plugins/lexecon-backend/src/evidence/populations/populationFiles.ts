import {
  CHANGE_POPULATION_CSV_COLUMNS,
  ChangePopulationRow,
  changePopulationCsv,
  FlagChangePopulationRow,
  IncidentPopulationRow,
  PopulationKind,
  PopulationRowOf,
  csvField,
  toCsv,
} from '@internal/plugin-lexecon-common';
import { POPULATION_QUERIES } from './PopulationReader';

const CHANGE_HEADER = toCsv(CHANGE_POPULATION_CSV_COLUMNS, []);

const csvLine = (cells: ReadonlyArray<string | number | undefined>) =>
  `${cells.map(csvField).join(',')}\r\n`;

const FLAG_COLUMNS = [
  'service',
  'event_id',
  'flag',
  'type',
  'environment',
  'by',
  'at',
  'what',
] as const;

const INCIDENT_COLUMNS = [
  'incident_id',
  'public_id',
  'title',
  'severity',
  'state',
  'started_at',
  'resolved_at',
  'time_to_resolve_seconds',
  'services',
  'url',
] as const;

/** One population's CSV: the header, then each row's line (RFC 4180, formula-guarded). */
export const POPULATION_CSV: {
  [K in PopulationKind]: {
    header: string;
    line(row: PopulationRowOf[K]): string;
  };
} = {
  changes: {
    header: CHANGE_HEADER,
    // The change population's own CSV (shared with its route), less its header.
    line: (row: ChangePopulationRow) =>
      changePopulationCsv([row]).slice(CHANGE_HEADER.length),
  },
  'flag-changes': {
    header: toCsv(FLAG_COLUMNS, []),
    line: (r: FlagChangePopulationRow) =>
      csvLine([
        r.entityRef,
        r.id,
        r.flag,
        r.type,
        r.environment,
        r.by,
        r.at,
        r.what,
      ]),
  },
  incidents: {
    header: toCsv(INCIDENT_COLUMNS, []),
    line: (r: IncidentPopulationRow) =>
      csvLine([
        r.id,
        r.publicId,
        r.title,
        r.severity,
        r.state,
        r.startedAt,
        r.resolvedAt,
        r.timeToResolveSeconds,
        r.services.join(' '),
        r.url,
      ]),
  },
};

export interface PopulationParameters {
  from: string;
  to: string;
  services: string[];
}

/**
 * A population as CSV, streamed: rows pass through `onRow` (to count, sample or digest them)
 * as they are written.
 */
export async function* populationCsv<K extends PopulationKind>(
  kind: K,
  rows: AsyncIterable<PopulationRowOf[K]>,
  onRow: (row: PopulationRowOf[K]) => void = () => {},
): AsyncIterable<string> {
  const csv = POPULATION_CSV[kind];
  yield csv.header;
  for await (const row of rows) {
    onRow(row);
    yield csv.line(row);
  }
}

/**
 * A population as JSON with its query and parameters, streamed a row at a time; `rowCount` comes
 * after the rows, since it is known only then.
 */
export async function* populationJson<K extends PopulationKind>(
  kind: K,
  parameters: PopulationParameters,
  rows: AsyncIterable<PopulationRowOf[K]>,
  onRow: (row: PopulationRowOf[K]) => void = () => {},
): AsyncIterable<string> {
  yield `{"kind":${JSON.stringify(kind)},"query":${JSON.stringify(
    POPULATION_QUERIES[kind],
  )},"parameters":${JSON.stringify(parameters)},"rows":[`;
  let count = 0;
  for await (const row of rows) {
    onRow(row);
    yield `${count ? ',' : ''}\n${JSON.stringify(row)}`;
    count++;
  }
  yield `\n],"rowCount":${count}}\n`;
}
