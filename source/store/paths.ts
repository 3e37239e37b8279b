import os from 'node:os';
import path from 'node:path';

/** Where the database lives when neither `--db` nor `INKLING_DB` says. */
export const defaultDatabasePath = path.join(os.homedir(), '.inkling', 'inkling.json');

/** Whether a `--db` value names a PostgreSQL server rather than a file. */
export function isServerUrl(value: string): boolean {
	return /^postgres(?:ql)?:\/\//iu.test(value);
}

/** The store: `--db`, then `INKLING_DB`, then `~/.inkling/inkling.json`; a file path (resolved) or a `postgres://` URL (as given). */
export function databasePath(flag?: string, environment: NodeJS.ProcessEnv = process.env): string {
	const fromEnvironment = environment.INKLING_DB === '' ? undefined : environment.INKLING_DB;
	const chosen = flag ?? fromEnvironment ?? defaultDatabasePath;
	return isServerUrl(chosen) ? chosen : path.resolve(chosen);
}
