import { DAY, HOUR, MINUTE, Prng } from '../random';

const SECOND = 1000;

/*
 * When a repository's pushes and production releases happen, and how each release goes, decided
 * before anything of its history is seeded.
 */

/** A push to main at `t`. */
export interface PushPlan {
  kind: 'push';
  t: number;
}
/** A production release slot at `t`. */
export interface ProdPlan {
  kind: 'prod';
  t: number;
  /** The Helm upgrade fails and `--atomic` rolls it back. */
  fail: boolean;
  /** The on-call engineer rolls the release back by hand a few hours later. */
  manualRollback: boolean;
  /** Who approves it in GitHub, instead of a release approver drawn at random. */
  approver?: string;
}
export type DeliveryPlan = PushPlan | ProdPlan;

function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/**
 * Pushes on weekdays (one or two a day) and production slots on Tuesdays and Thursdays over
 * `days` days up to `nowMs`, oldest first. With `changeSetMin`, trailing production slots that
 * would leave fewer pushes after them are dropped, so a release waiting now ships a real change.
 */
export function planDeliveries(
  rng: Prng,
  opts: { nowMs: number; days: number; changeSetMin: number },
): DeliveryPlan[] {
  const { nowMs } = opts;
  const windowStart = nowMs - opts.days * DAY;
  const plans: DeliveryPlan[] = [];
  const firstDay = utcDayStart(windowStart);
  for (let d = 0; d <= opts.days + 1; d++) {
    const dayStart = firstDay + d * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    const two = rng.chance(0.6);
    const slot1 =
      dayStart +
      8.5 * HOUR +
      rng.int(0, 210) * MINUTE +
      rng.int(0, 59) * SECOND;
    const slot2 =
      dayStart + 13 * HOUR + rng.int(0, 180) * MINUTE + rng.int(0, 59) * SECOND;
    const prodT =
      dayStart +
      16.75 * HOUR +
      rng.int(0, 60) * MINUTE +
      rng.int(0, 59) * SECOND;
    if (weekday < 1 || weekday > 5) continue;
    for (const t of two ? [slot1, slot2] : [slot1]) {
      if (t > windowStart && t < nowMs - 75 * MINUTE) {
        plans.push({ kind: 'push', t });
      }
    }
    if (
      (weekday === 2 || weekday === 4) &&
      prodT > windowStart + 2 * DAY &&
      prodT < nowMs - 20 * HOUR
    ) {
      plans.push({
        kind: 'prod',
        t: prodT,
        fail: false,
        manualRollback: false,
      });
    }
  }
  plans.sort((a, b) => a.t - b.t);
  for (;;) {
    const lastProd = plans.map(p => p.kind).lastIndexOf('prod');
    if (lastProd < 0) break;
    const after = plans.slice(lastProd).filter(p => p.kind === 'push').length;
    if (after >= opts.changeSetMin) break;
    plans.splice(lastProd, 1);
  }
  return plans;
}

/**
 * How a service's production releases go, decided by position (every Nth release) rather than
 * drawn, so the rest of its history keeps its draws.
 */
export interface DeployProfile {
  /** Only one production slot in this many is used (1: both of every week). */
  slotEvery: number;
  /** Every Nth release's Helm upgrade fails and `--atomic` rolls it back (0: none). */
  failEvery: number;
  /** Every Nth release is rolled back by hand by the on-call engineer hours later (0: none). */
  rollbackEvery: number;
}

/** The production slots a profile keeps, with the failures and rollbacks it asks for marked. */
export function shapeProductionPlans(
  plans: DeliveryPlan[],
  profile: DeployProfile | undefined,
): DeliveryPlan[] {
  if (!profile) return plans;
  let slot = 0;
  let release = 0;
  return plans.filter(plan => {
    if (plan.kind !== 'prod') return true;
    if (slot++ % profile.slotEvery !== 0) return false;
    release++;
    // The first release has nothing to roll back to.
    if (release > 1 && profile.failEvery && release % profile.failEvery === 0) {
      plan.fail = true;
    } else if (
      release > 1 &&
      profile.rollbackEvery &&
      release % profile.rollbackEvery === 0
    ) {
      plan.manualRollback = true;
    }
    return true;
  });
}
