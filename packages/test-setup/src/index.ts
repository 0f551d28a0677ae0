export { failOnUnexpectedConsole } from './failOnConsole';
