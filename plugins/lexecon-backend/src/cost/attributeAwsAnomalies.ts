import { AwsCostAnomaly, DailyCostFact } from '@internal/plugin-lexecon-common';
import { AwsAnomalyReport } from '../sources/aws/CostExplorerClient';
import { addDays, daysBetween } from './calendar';
import { median, sum } from './robustStatistics';

/** Days before an anomaly whose median is the component's ordinary daily cost. */
const BASELINE_DAYS = 14;
/** Fewer days before it than this, and the service's share cannot be told. */
const MIN_BASELINE_DAYS = 7;
/** The service's rise must explain at least this share of AWS's impact to be its anomaly. */
const MIN_SHARE = 0.5;

/**
 * Which of AWS's anomalies are the service's, and in which component: Cost Anomaly Detection
 * watches the account by AWS service, not by cost allocation tag, so an anomaly is the service's
 * when one of its AWS components rose over the anomaly's days, against the median of the 14 days
 * before, by at least half of AWS's impact. The component with the largest rise gets it.
 */
export function attributeAwsAnomalies(
  reports: AwsAnomalyReport[],
  facts: DailyCostFact[],
): AwsCostAnomaly[] {
  const byComponent = new Map<string, Map<string, number>>();
  for (const f of facts) {
    if (f.provider !== 'aws') continue;
    const days = byComponent.get(f.component) ?? new Map<string, number>();
    days.set(f.day, (days.get(f.day) ?? 0) + f.amount);
    byComponent.set(f.component, days);
  }
  const newest = facts.reduce((d, f) => (f.day > d ? f.day : d), '');
  const found: AwsCostAnomaly[] = [];
  for (const report of reports) {
    if (!(report.impact > 0) || !newest) continue;
    const end = report.end && report.end < newest ? report.end : newest;
    if (end < report.start) continue;
    const during = daysBetween(report.start, end);
    const before = daysBetween(
      addDays(report.start, -BASELINE_DAYS),
      addDays(report.start, -1),
    );
    let best: { component: string; rise: number } | undefined;
    for (const [component, days] of byComponent) {
      const ordinary = before.flatMap(d => days.get(d) ?? []);
      if (ordinary.length < MIN_BASELINE_DAYS) continue;
      const expected = median(ordinary)!;
      const rise = sum(during.map(d => (days.get(d) ?? 0) - expected));
      if (!best || rise > best.rise) best = { component, rise };
    }
    if (best && best.rise >= MIN_SHARE * report.impact) {
      found.push({ ...report, component: best.component });
    }
  }
  return found;
}
