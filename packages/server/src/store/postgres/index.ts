import type { Backend } from '../backend';
import type { PostgresBackendOptions } from './backend';

export type { PostgresBackendOptions } from './backend';

/**
 * createPostgresBackend, loaded on first use: a server on SQLite (the default) never loads
 * the pg driver nor anything of this folder.
 */
export async function openPostgresBackend(url: string, options?: PostgresBackendOptions): Promise<Backend> {
  const { createPostgresBackend } = await import('./backend');
  return createPostgresBackend(url, options);
}
