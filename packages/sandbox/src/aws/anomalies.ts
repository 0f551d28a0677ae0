import { uuidFrom } from '../random';
import {
  AWS_ACCOUNT_ID,
  AWS_ACCOUNT_NAME,
  CostLedger,
  dayMs,
  dayString,
} from './costLedger';
import { AwsError, validationError } from './errors';
import { nextPageToken, pageOffset } from './paging';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The account's one monitor: AWS-managed, one model per AWS service. */
export function anomalyMonitors(ledger: CostLedger) {
  const { calendar } = ledger;
  return [
    {
      MonitorArn: `arn:aws:ce::${AWS_ACCOUNT_ID}:anomalymonitor/${uuidFrom(
        'aws-monitor:services',
      )}`,
      MonitorName: 'AWS services',
      CreationDate: calendar.start,
      LastUpdatedDate: calendar.start,
      LastEvaluatedDate: dayString(dayMs(calendar.end) - 86_400_000),
      MonitorType: 'DIMENSIONAL',
      MonitorDimension: 'SERVICE',
      DimensionalValueCount: 5,
    },
  ];
}

/** The seeded anomaly as Cost Anomaly Detection reports it, its impact from the ledger itself. */
function anomalies(ledger: CostLedger) {
  const a = ledger.anomaly;
  const series = ledger
    .series(a.service)
    .find(s => s.component === a.component)!;
  const days = series.days.filter(d => d.day >= a.start && d.day <= a.end);
  const actual = days.reduce((sum, d) => sum + d.amount, 0);
  const expected = days.reduce((sum, d) => sum + d.expected, 0);
  const maxImpact = Math.max(...days.map(d => d.amount - d.expected));
  const r = (n: number) => Math.round(n * 100) / 100;
  const id = uuidFrom(`aws-anomaly:${a.service}:${a.component}:${a.start}`);
  const feedback = ledger.anomalyFeedback.get(id);
  return [
    {
      AnomalyId: id,
      AnomalyStartDate: a.start,
      AnomalyEndDate: a.end,
      DimensionValue: a.awsService,
      MonitorArn: anomalyMonitors(ledger)[0].MonitorArn,
      RootCauses: [
        {
          Service: a.awsService,
          Region: 'us-east-1',
          LinkedAccount: AWS_ACCOUNT_ID,
          LinkedAccountName: AWS_ACCOUNT_NAME,
          UsageType: a.usageType,
          Impact: { Contribution: r(actual - expected) },
        },
      ],
      AnomalyScore: { MaxScore: 0.93, CurrentScore: 0.12 },
      Impact: {
        MaxImpact: r(maxImpact),
        TotalImpact: r(actual - expected),
        TotalActualSpend: r(actual),
        TotalExpectedSpend: r(expected),
        TotalImpactPercentage: r(((actual - expected) / expected) * 100),
      },
      ...(feedback && { Feedback: feedback }),
    },
  ];
}

function pageSize(input: unknown): number {
  if (input === undefined) return 100;
  const n = Number(input);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw validationError('MaxResults must be from 1 to 100');
  }
  return n;
}

function impactMatches(value: number, filter: unknown): boolean {
  if (filter === undefined) return true;
  const f = filter as Record<string, unknown>;
  const start = Number(f.StartValue);
  const end = Number(f.EndValue);
  switch (f.NumericOperator) {
    case 'EQUAL':
      return value === start;
    case 'GREATER_THAN_OR_EQUAL':
      return value >= start;
    case 'LESS_THAN_OR_EQUAL':
      return value <= start;
    case 'GREATER_THAN':
      return value > start;
    case 'LESS_THAN':
      return value < start;
    case 'BETWEEN':
      return value >= start && value <= end;
    default:
      throw validationError('TotalImpact.NumericOperator is not valid');
  }
}

/** `GetAnomalies`: anomalies whose end date falls in `DateInterval`, paged by `MaxResults`. */
export function getAnomalies(
  ledger: CostLedger,
  body: Record<string, unknown>,
) {
  const interval = body.DateInterval as Record<string, unknown> | undefined;
  const start = interval?.StartDate;
  const end = interval?.EndDate ?? '9999-12-31';
  if (typeof start !== 'string' || !DATE.test(start)) {
    throw validationError('DateInterval.StartDate must be a date (YYYY-MM-DD)');
  }
  if (typeof end !== 'string' || !DATE.test(end)) {
    throw validationError('DateInterval.EndDate must be a date (YYYY-MM-DD)');
  }
  const monitors = anomalyMonitors(ledger).map(m => m.MonitorArn);
  if (
    body.MonitorArn !== undefined &&
    !monitors.includes(String(body.MonitorArn))
  ) {
    throw new AwsError('UnknownMonitorException', 'Monitor not found');
  }
  const size = pageSize(body.MaxResults);
  const found = anomalies(ledger).filter(
    a =>
      a.AnomalyEndDate >= start &&
      a.AnomalyEndDate <= end &&
      (body.Feedback === undefined || a.Feedback === body.Feedback) &&
      impactMatches(a.Impact.TotalImpact, body.TotalImpact),
  );
  const offset = pageOffset(body);
  const page = found.slice(offset, offset + size);
  return {
    Anomalies: page,
    ...(offset + size < found.length
      ? { NextPageToken: nextPageToken(body, offset + size) }
      : {}),
  };
}

const FEEDBACK = ['YES', 'NO', 'PLANNED_ACTIVITY'];

/** `ProvideAnomalyFeedback`: remembers the answer, which `GetAnomalies` then reports. */
export function provideAnomalyFeedback(
  ledger: CostLedger,
  body: Record<string, unknown>,
) {
  const { AnomalyId: id, Feedback: feedback } = body;
  if (typeof id !== 'string' || id === '') {
    throw validationError('AnomalyId is required');
  }
  if (typeof feedback !== 'string' || !FEEDBACK.includes(feedback)) {
    throw validationError(`Feedback must be one of ${FEEDBACK.join(', ')}`);
  }
  if (!anomalies(ledger).some(a => a.AnomalyId === id)) {
    throw validationError(`Anomaly ${id} does not exist`);
  }
  ledger.anomalyFeedback.set(id, feedback);
  return { AnomalyId: id };
}

/** `GetAnomalyMonitors`: every monitor, or those of `MonitorArnList`. */
export function getAnomalyMonitors(
  ledger: CostLedger,
  body: Record<string, unknown>,
) {
  const wanted = body.MonitorArnList as unknown[] | undefined;
  const monitors = anomalyMonitors(ledger).filter(
    m => !wanted || wanted.includes(m.MonitorArn),
  );
  const size = pageSize(body.MaxResults);
  const offset = pageOffset(body);
  return {
    AnomalyMonitors: monitors.slice(offset, offset + size),
    ...(offset + size < monitors.length
      ? { NextPageToken: nextPageToken(body, offset + size) }
      : {}),
  };
}
