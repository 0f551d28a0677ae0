/**
 * Watches the backend's scheduled refresh through the scheduler's own endpoint, so a loop can
 * say how many scheduled runs finished while it ran.
 */
import { REQUEST_TIMEOUT_MS, sleep } from './measure';

/** Each source has its own task; the loops count the GitHub one, the heaviest. */
const TASK_ID = 'lexecon-refresh-github';
const TASK_PREFIX = 'lexecon-refresh-';
const POLL_MS = 500;

interface TaskState {
  status?: string;
  lastRunEndedAt?: string;
  lastRunError?: string;
}

export interface ScheduledTask {
  /** ISO 8601 duration, e.g. PT15S. */
  cadence: string;
  state: TaskState;
}

async function listTasks(backendUrl: string, headers: Record<string, string>) {
  const response = await fetch(
    `${backendUrl}/api/lexecon/.backstage/scheduler/v1/tasks`,
    { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
  );
  if (!response.ok) {
    throw new Error(`The scheduler endpoint answered ${response.status}`);
  }
  const { tasks } = (await response.json()) as {
    tasks: Array<{
      taskId: string;
      settings: { cadence: string };
      taskState: TaskState | null;
    }>;
  };
  return tasks
    .filter(t => t.taskId.startsWith(TASK_PREFIX))
    .map(t => ({
      id: t.taskId,
      cadence: t.settings.cadence,
      state: t.taskState ?? {},
    }));
}

export async function scheduledTask(
  backendUrl: string,
  headers: Record<string, string>,
): Promise<ScheduledTask> {
  const task = (await listTasks(backendUrl, headers)).find(
    t => t.id === TASK_ID,
  );
  if (!task) throw new Error(`No scheduled task ${TASK_ID}`);
  return task;
}

/** Resolves when every source's scheduled run has finished once (the snapshots exist), bounded in time. */
export async function waitForScheduledRun(
  backendUrl: string,
  headers: Record<string, string>,
  maxMs = 180_000,
) {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const tasks = await listTasks(backendUrl, headers);
    const failed = tasks.find(t => t.state.lastRunError);
    if (failed) {
      throw new Error(
        `The scheduled refresh ${failed.id} failed: ${failed.state.lastRunError}`,
      );
    }
    if (tasks.length && tasks.every(t => t.state.lastRunEndedAt)) return;
    await sleep(POLL_MS);
  }
  throw new Error(`No scheduled refresh finished within ${maxMs / 1000} s`);
}

/**
 * Counts the scheduled runs that finished between `start()` and `stop()`. Polling misses a run
 * only if two finish within one poll, which the cadence rules out.
 */
export function watchScheduledRuns(
  backendUrl: string,
  headers: Record<string, string>,
) {
  const ended = new Set<string>();
  let before: string | undefined;
  let running = true;
  const polling = (async () => {
    before = (await scheduledTask(backendUrl, headers)).state.lastRunEndedAt;
    while (running) {
      const { state } = await scheduledTask(backendUrl, headers);
      if (state.lastRunEndedAt && state.lastRunEndedAt !== before) {
        ended.add(state.lastRunEndedAt);
      }
      await sleep(POLL_MS);
    }
  })();
  return {
    async stop(): Promise<number> {
      running = false;
      await polling;
      return ended.size;
    },
  };
}
