/** One JSON object per line. Callers pass only what is safe to keep: never a password or a token. */
export type LogFn = (entry: Record<string, unknown>) => void;

export const stdoutLog: LogFn = (entry) => {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
};

export const silentLog: LogFn = () => {};
