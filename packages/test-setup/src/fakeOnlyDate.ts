/**
 * Fakes `Date` alone, at `now`; every timer stays real, so servers, sockets, retries and
 * Testing Library's waits behave as in production while relative times ("2 minutes ago") and
 * month boundaries are computed from a fixed instant. With `advance`, the clock moves on with
 * real time from `now`.
 */
export function fakeOnlyDate(now: Date, options: { advance?: boolean } = {}) {
  jest.useFakeTimers({
    now,
    advanceTimers: options.advance ?? false,
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
}
