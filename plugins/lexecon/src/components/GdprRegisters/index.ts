export { GdprRegistersContent, GdprRegistersPage } from './GdprRegistersPage';
