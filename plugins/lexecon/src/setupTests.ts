import '@testing-library/jest-dom';

// Freeze the clock (only Date; timers stay real) so relative times such as "2 minutes ago" in the
// fixtures do not drift when a slow run, e.g. with coverage, takes more than a minute.
jest.useFakeTimers({
  now: new Date('2026-11-20T15:00:00Z'),
  doNotFake: [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'requestIdleCallback',
    'cancelIdleCallback',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ],
});
