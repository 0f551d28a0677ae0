/**
 * Types, schemas, annotations and permissions shared by the Lexecon frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './approvals';
export * from './cost';
export * from './delivery';
export * from './deliveryViews';
export * from './entityCosts';
export * from './evidence';
export * from './evidenceViews';
export * from './evidenceSamples';
export * from './gdprRegisters';
export * from './githubEvidence';
export * from './liveUpdates';
export * from './entityCostAnalysis';
export * from './costPortfolio';
export * from './permissions';
export * from './recordedEvidence';
export * from './reliability';
export * from './schemas';
export * from './sources';
export * from './entitySections';
export * from './types';
