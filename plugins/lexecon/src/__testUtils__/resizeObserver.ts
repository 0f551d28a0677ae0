/** recharts' ResponsiveContainer measures itself; jsdom has no ResizeObserver. */
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

export function stubResizeObserver() {
  beforeAll(() => {
    Object.assign(globalThis, { ResizeObserver: NoopResizeObserver });
  });
}
