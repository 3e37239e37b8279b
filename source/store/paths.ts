import os from 'node:os';
import path from 'node:path';

/** Where the database lives when neither `--db` nor `INKLING_DB` says. */
export const defaultDatabasePath = path.join(os.homedir(), '.inkling', 'inkling.json');

/** The database path: `--db`, then `INKLING_DB`, then `~/.inkling/inkling.json`. */
export function databasePath(flag?: string, environment: NodeJS.ProcessEnv = process.env): string {
	const fromEnvironment = environment.INKLING_DB === '' ? undefined : environment.INKLING_DB;
	const chosen = flag ?? fromEnvironment ?? defaultDatabasePath;
	return path.resolve(chosen);
}
