/**
 * Backend plugin of the Lexecon Release & Compliance portal.
 *
 * @packageDocumentation
 */
export { lexeconPlugin as default } from './plugin';
