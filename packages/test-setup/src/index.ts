export { failOnUnexpectedConsole } from './failOnConsole';
export { fakeOnlyDate } from './fakeOnlyDate';
