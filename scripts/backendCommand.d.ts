/** How to start the backend without a file watcher, with `configs` (from the repository root). */
export function backendCommand(configs: string[]): {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
};
