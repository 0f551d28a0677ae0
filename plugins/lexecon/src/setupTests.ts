import '@testing-library/jest-dom';
import { failOnUnexpectedConsole, fakeOnlyDate } from '@internal/test-setup';
import { configure } from '@testing-library/react';

failOnUnexpectedConsole();

// Time limits here detect a hang; they do not measure speed. A test that renders the whole tab
// (Material UI, material-table, recharts in jsdom) needs 1-2 s of CPU, most of it in jsdom's
// getComputedStyle: a ByRole query over the full tab alone costs about 1 s, because jsdom matches
// every one of Material UI's ~600 style rules against each candidate and its ancestors. On a 2-core
// machine running a second Jest worker (and a backend suite with its own servers) under coverage,
// that CPU time is stretched several-fold in wall-clock time, so a wall-clock limit close to the
// test's own duration (Jest's 5 s, Testing Library's 1 s for findBy/waitFor) failed tests at
// random with nothing wrong. A waiting query still returns as soon as its condition holds; these
// limits only decide how long a real failure takes to be reported.
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 15_000 });

// Freeze the clock (only Date; timers stay real) so relative times such as "2 minutes ago" in the
// fixtures do not drift when a slow run, e.g. with coverage, takes more than a minute.
fakeOnlyDate(new Date('2026-11-20T15:00:00Z'));
