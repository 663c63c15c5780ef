export { startServer, SERVER_VERSION, type RunningServer, type StartOptions } from './server';
export { DEFAULT_HOST, DEFAULT_PORT, defaultDataDir, type ServerConfig } from './config';
export { stdoutLog, silentLog, type LogFn } from './log';
