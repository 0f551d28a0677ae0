import { iso, MINUTE, Prng, uuidFrom } from '../random';
import {
  FlagEnvironmentRecord,
  FlagEventRecord,
  FlagStrategyRecord,
} from './types';

export const FLAG_ENVIRONMENTS = ['development', 'staging', 'production'];

/** Unleash users who change flags: email and user id. */
export type FlagAuthor = [string, number];

export const FLAG_AUTHORS: FlagAuthor[] = [
  ['maya.chen@lexecon.io', 3],
  ['dev.patel@lexecon.io', 4],
  ['sam.okafor@lexecon.io', 5],
  ['priya.nair@lexecon.io', 8],
];

/** A gradual rollout strategy; `idSeed` keeps strategy ids of equal flag names apart. */
export function rollout(
  flag: string,
  percent: number,
  extra: Partial<FlagStrategyRecord> = {},
  idSeed = flag,
): FlagStrategyRecord {
  return {
    id: uuidFrom(`${idSeed}:rollout:${percent}`),
    name: 'flexibleRollout',
    parameters: {
      rollout: String(percent),
      stickiness: 'default',
      groupId: flag,
    },
    constraints: [],
    disabled: false,
    ...extra,
  };
}

export function standard(
  flag: string,
  env: string,
  idSeed = flag,
): FlagStrategyRecord {
  return {
    id: uuidFrom(`${idSeed}:default:${env}`),
    name: 'default',
    parameters: {},
    constraints: [],
    disabled: false,
  };
}

/** A flag's state in one environment; enabled ones were last seen by an SDK minutes ago. */
export function flagEnvironment(
  rng: Prng,
  now: number,
  name: string,
  enabled: boolean,
  strategies: FlagStrategyRecord[],
): FlagEnvironmentRecord {
  return {
    name,
    type: name === 'production' ? 'production' : 'development',
    enabled,
    strategies,
    lastSeenAt: enabled ? iso(now - rng.int(1, 50) * MINUTE) : undefined,
  };
}

/** The change events of one Unleash project, in the shape its event search returns. */
export class FlagEventLog {
  private readonly events: FlagEventRecord[] = [];

  constructor(private readonly project: string) {}

  add(
    at: number,
    type: string,
    featureName: string,
    environment: string | null,
    author: FlagAuthor,
    data: unknown = null,
    preData: unknown = null,
  ): void {
    this.events.push({
      id: 0,
      type,
      createdAt: iso(at),
      createdBy: author[0],
      createdByUserId: author[1],
      environment,
      project: this.project,
      featureName,
      data,
      preData,
    });
  }

  /** The events oldest first, numbered from `firstId`. */
  finish(firstId: number): FlagEventRecord[] {
    const sorted = [...this.events].sort(
      (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
    );
    sorted.forEach((e, i) => {
      e.id = firstId + i;
    });
    return sorted;
  }
}
