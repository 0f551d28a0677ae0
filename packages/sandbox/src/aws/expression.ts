import { AWS_ACCOUNT_ID, CostSeries } from './costLedger';
import { validationError } from './errors';

/** The attributes Cost Explorer filters and groups a series by: its tags and its dimensions. */
function attributesOf(series: CostSeries) {
  const tagged = series.recordType === 'Usage';
  return {
    tags: (tagged
      ? { service: series.service, component: series.component }
      : {}) as Record<string, string>,
    dimensions: {
      SERVICE: series.awsService,
      USAGE_TYPE: series.usageType,
      REGION: 'us-east-1',
      LINKED_ACCOUNT: AWS_ACCOUNT_ID,
      RECORD_TYPE: series.recordType,
    } as Record<string, string>,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) {
    throw validationError(`${field} must be a list of strings`);
  }
  return v as string[];
}

function matchValues(
  value: string | undefined,
  clause: Record<string, unknown>,
  field: string,
): boolean {
  const options = clause.MatchOptions
    ? stringList(clause.MatchOptions, `${field}.MatchOptions`)
    : ['EQUALS'];
  if (options.includes('ABSENT')) return value === undefined;
  const values = stringList(clause.Values ?? [], `${field}.Values`);
  if (value === undefined) return false;
  const caseSensitive = !options.includes('CASE_INSENSITIVE');
  const norm = (s: string) => (caseSensitive ? s : s.toLowerCase());
  return values.some(v => {
    if (options.includes('STARTS_WITH')) return norm(value).startsWith(norm(v));
    if (options.includes('ENDS_WITH')) return norm(value).endsWith(norm(v));
    if (options.includes('CONTAINS')) return norm(value).includes(norm(v));
    return norm(value) === norm(v);
  });
}

/** Whether a series matches a Cost Explorer `Expression` (And, Or, Not, Dimensions, Tags). */
export function matchesExpression(
  series: CostSeries,
  expression: unknown,
  field = 'Filter',
): boolean {
  if (expression === undefined) return true;
  if (!isObject(expression))
    throw validationError(`${field} must be an object`);
  const keys = Object.keys(expression);
  if (keys.length !== 1) {
    throw validationError(
      `${field} must have exactly one of And, Or, Not, Dimensions, Tags`,
    );
  }
  const { tags, dimensions } = attributesOf(series);
  const list = (v: unknown, name: string) => {
    if (!Array.isArray(v) || v.length < 2) {
      throw validationError(`${field}.${name} needs at least two expressions`);
    }
    return v;
  };
  switch (keys[0]) {
    case 'And':
      return list(expression.And, 'And').every((e, i) =>
        matchesExpression(series, e, `${field}.And[${i}]`),
      );
    case 'Or':
      return list(expression.Or, 'Or').some((e, i) =>
        matchesExpression(series, e, `${field}.Or[${i}]`),
      );
    case 'Not':
      return !matchesExpression(series, expression.Not, `${field}.Not`);
    case 'Tags':
    case 'Dimensions': {
      const clause = expression[keys[0]];
      const at = `${field}.${keys[0]}`;
      if (!isObject(clause) || typeof clause.Key !== 'string') {
        throw validationError(`${at}.Key is required`);
      }
      const value =
        keys[0] === 'Tags' ? tags[clause.Key] : dimensions[clause.Key];
      if (keys[0] === 'Dimensions' && !(clause.Key in dimensions)) {
        throw validationError(
          `${at}.Key must be one of ${Object.keys(dimensions).join(', ')}`,
        );
      }
      return matchValues(value, clause, at);
    }
    default:
      throw validationError(
        `${field}.${keys[0]} is not supported (And, Or, Not, Dimensions, Tags)`,
      );
  }
}

export interface GroupDefinition {
  Type: 'TAG' | 'DIMENSION';
  Key: string;
}

const EMPTY: CostSeries = {
  service: '',
  component: 'storage',
  awsService: '',
  usageType: '',
  recordType: 'Usage',
  days: [],
};

export function parseGroupBy(input: unknown): GroupDefinition[] {
  if (input === undefined) return [];
  if (!Array.isArray(input) || input.length > 2) {
    throw validationError('GroupBy must be a list of at most two groups');
  }
  return input.map((g: unknown, i) => {
    const at = `GroupBy[${i}]`;
    if (!isObject(g) || typeof g.Key !== 'string') {
      throw validationError(`${at}.Key is required`);
    }
    if (g.Type === 'TAG') return { Type: 'TAG', Key: g.Key };
    if (g.Type === 'DIMENSION' && g.Key in attributesOf(EMPTY).dimensions) {
      return { Type: 'DIMENSION', Key: g.Key };
    }
    throw validationError(
      `${at} must be TAG <key> or DIMENSION SERVICE, USAGE_TYPE, REGION, LINKED_ACCOUNT or RECORD_TYPE`,
    );
  });
}

/** A group's key as Cost Explorer writes it: `<tag>$<value>` (`<tag>$` untagged), or the dimension value. */
export function groupKey(series: CostSeries, group: GroupDefinition): string {
  const { tags, dimensions } = attributesOf(series);
  return group.Type === 'TAG'
    ? `${group.Key}$${tags[group.Key] ?? ''}`
    : dimensions[group.Key];
}
