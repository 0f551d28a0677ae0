export { OnCallPage, OnCallBoardView } from './OnCallPage';
