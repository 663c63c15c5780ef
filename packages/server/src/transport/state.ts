import type { LogFn } from '../log';
import type { Services } from '../services';
import type { ServerConfig } from '../config';
import type { Connection } from './connection';
import type { MemoryBudget } from './budget';
import type { FairScheduler } from './scheduler';

/** What every connection shares. */
export interface ServerState {
  config: ServerConfig;
  services: Services;
  log: LogFn;
  version: string;
  protocolVersion: number;
  connections: Set<Connection>;
  budget: MemoryBudget;
  scheduler: FairScheduler;
}
