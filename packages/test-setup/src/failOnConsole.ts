import failOnConsole from 'jest-fail-on-console';

/**
 * Console output from libraries we do not own, silenced by exact origin so the log stays readable.
 * Each entry says why it cannot be fixed here; anything else written to console.error or
 * console.warn fails the test that wrote it (a test that expects output spies on the console
 * and asserts the call).
 */
const UPSTREAM_NOISE: Array<{ pattern: RegExp; why: string }> = [
  {
    pattern:
      /^Warning: findDOMNode is deprecated[\s\S]*\/node_modules\/@material-ui\//,
    why: 'Material UI v4 (Backstage core components) calls findDOMNode; React warns under StrictMode',
  },
  {
    pattern: /^⚠️ React Router Future Flag Warning/,
    why: "react-router 6 inside Backstage's test app announces v7 behaviour",
  },
  {
    pattern:
      /^Warning: (MTableHeader|Connect\(Droppable\)): Support for defaultProps will be removed/,
    why: "material-table and react-beautiful-dnd, used by Backstage's Table",
  },
  {
    pattern: /^AlertApi is deprecated and will be removed/,
    why: "Backstage's own ErrorApi forwards to the AlertApi and warns about it",
  },
];

export function failOnUnexpectedConsole() {
  failOnConsole({
    shouldFailOnError: true,
    shouldFailOnWarn: true,
    silenceMessage: message =>
      UPSTREAM_NOISE.some(({ pattern }) => pattern.test(message)),
  });
}
