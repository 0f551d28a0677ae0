export const PRODUCTION_ENTRY: string[];
export const PRODUCTION_CONFIGS: string[];
export function productionArgs(extraConfigs?: string[]): string[];
