// How the production backend starts, in dist-production/ (or the image's /app): shared by
// `npm run start:production`, the production suite and the Dockerfile's test, so that the image,
// the documented command and what CI runs stay one command.
const PRODUCTION_ENTRY = ['packages/backend'];
const PRODUCTION_CONFIGS = ['app-config.yaml', 'app-config.production.yaml'];

/** `node` arguments: the entry, then `--config` for each default file and each extra one. */
function productionArgs(extraConfigs = []) {
  return [
    ...PRODUCTION_ENTRY,
    ...[...PRODUCTION_CONFIGS, ...extraConfigs].flatMap(config => [
      '--config',
      config,
    ]),
  ];
}

module.exports = { PRODUCTION_ENTRY, PRODUCTION_CONFIGS, productionArgs };
