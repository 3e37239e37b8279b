import type pg from 'pg';
import {UserError} from '../errors.js';

/** The schema this inkling writes and reads. A later inkling that changes it adds a step to `migrations`. */
export const schemaVersion = 1;

/**
 * Each step takes the schema from the version before it to its own number,
 * in one transaction. Everything lives in the schema `inkling`, so inkling's
 * tables can sit beside another program's without a clash.
 */
const migrations: Array<{version: number; sql: string}> = [
	{
		version: 1,
		sql: `
CREATE SCHEMA IF NOT EXISTS inkling;
CREATE TABLE inkling.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE inkling.datasets (
	name text PRIMARY KEY,
	created bigint NOT NULL,
	meta jsonb
);
CREATE TABLE inkling.sessions (
	id text PRIMARY KEY,
	dataset text NOT NULL REFERENCES inkling.datasets (name) ON DELETE CASCADE,
	created bigint NOT NULL,
	meta jsonb
);
CREATE INDEX sessions_dataset ON inkling.sessions (dataset);
-- One row per answer, in the order saved (id). The task is the Prodigy task
-- JSON with its hashes; its hashes and answer are columns too, to query.
CREATE TABLE inkling.examples (
	id bigserial PRIMARY KEY,
	dataset text NOT NULL REFERENCES inkling.datasets (name) ON DELETE CASCADE,
	session text NOT NULL,
	input_hash integer NOT NULL,
	task_hash integer NOT NULL,
	answer text,
	task jsonb NOT NULL,
	saved timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX examples_dataset ON inkling.examples (dataset, id);
CREATE INDEX examples_input ON inkling.examples (dataset, input_hash);
CREATE INDEX examples_session ON inkling.examples (session, task_hash);
-- What a session reads to resume (the hashes of a dataset's answers), from the index alone.
CREATE INDEX examples_hashes ON inkling.examples (dataset, session) INCLUDE (input_hash, task_hash);
-- How many operations of each client's outbox (answers queued on the
-- annotator's machine) the server has applied: updated in the transaction
-- that applies them, so a resend after a lost acknowledgement applies nothing twice.
CREATE TABLE inkling.outboxes (
	id text PRIMARY KEY,
	applied bigint NOT NULL,
	updated timestamptz NOT NULL DEFAULT now()
);
`,
	},
];

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.password &&= '';

		return parsed.toString().replace(/:@/u, '@');
	} catch {
		return 'the PostgreSQL URL';
	}
}

/** Whether an error means the server cannot be reached now (worth retrying), rather than a refusal. */
export function isConnectionError(error: unknown): boolean {
	const {code, message} = error as {code?: string; message?: string};
	return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004'].includes(code ?? '')
		|| /connection terminated|timeout exceeded when trying to connect|Connection terminated unexpectedly|not queryable/iu.test(message ?? '');
}

/** One line saying what went wrong with the server and what to do. */
export function serverProblem(error: unknown, location: string): string {
	const {code, message} = error as {code?: string; message?: string};
	const url = (() => {
		try {
			return new URL(location);
		} catch {
			return undefined;
		}
	})();
	const where = url ? `${url.hostname}:${url.port === '' ? '5432' : url.port}` : location;
	switch (code ?? '') {
		case 'ECONNREFUSED': {
			return `${location}: cannot connect: connection refused. Is the PostgreSQL server running and listening on ${where}?`;
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return `${location}: cannot connect: the host ${url?.hostname ?? ''} is not known. Check the host in the URL.`;
		}

		case '28P01': {
			return `${location}: password authentication failed for user "${decodeURIComponent(url?.username ?? '')}". Check the user and password in the URL (or PGPASSWORD).`;
		}

		case '28000': {
			return `${location}: the server refused the connection (${message ?? 'not authorized'}). Check the user in the URL and the server's pg_hba.conf.`;
		}

		case '3D000': {
			return `${location}: the database does not exist on ${where}. Create it (createdb ${url?.pathname.slice(1) ?? 'NAME'}) or point --db at another.`;
		}

		case '42501': {
			return `${location}: permission denied (${message ?? ''}). The user needs rights to create and write inkling's tables.`;
		}

		default: {
			if (isConnectionError(error)) {
				return `${location}: cannot reach the server (${message ?? code ?? 'no answer'}).`;
			}

			return `${location}: ${message ?? String(error)}`;
		}
	}
}

export async function readVersion(client: pg.ClientBase): Promise<number | undefined> {
	// A plain query of the catalog, not to_regclass: it sees a table another
	// process created a moment ago (its transaction committed while this one waited).
	const {rowCount} = await client.query('SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = \'inkling\' AND tablename = \'meta\'');
	if (rowCount === 0) {
		return undefined;
	}

	const found = await client.query<{value: string}>('SELECT value FROM inkling.meta WHERE key = \'schema\'');
	return found.rows[0] ? Number(found.rows[0].value) : 0;
}

/** How many tables the database holds outside PostgreSQL's own schemas. */
async function otherTables(client: pg.ClientBase): Promise<number> {
	const {rows} = await client.query<{count: string}>('SELECT count(*) AS count FROM pg_catalog.pg_tables WHERE schemaname NOT IN (\'pg_catalog\', \'information_schema\', \'inkling\')');
	return Number(rows[0]?.count ?? 0);
}

/** Run the migration steps after `from`, each in its own transaction. Returns the versions applied. */
async function migrate(client: pg.ClientBase, from: number): Promise<number[]> {
	const applied: number[] = [];
	for (const step of migrations.filter(item => item.version > from)) {
		// eslint-disable-next-line no-await-in-loop
		await client.query('BEGIN');
		try {
			// Two processes migrating at once: the second waits here, then finds the work done.
			// eslint-disable-next-line no-await-in-loop
			await client.query('SELECT pg_advisory_xact_lock(7368823)');
			// eslint-disable-next-line no-await-in-loop
			const now = await readVersion(client) ?? 0;
			if (now >= step.version) {
				// eslint-disable-next-line no-await-in-loop
				await client.query('COMMIT');
				continue;
			}

			// eslint-disable-next-line no-await-in-loop
			await client.query(step.sql);
			// eslint-disable-next-line no-await-in-loop
			await client.query('INSERT INTO inkling.meta (key, value) VALUES (\'schema\', $1) ON CONFLICT (key) DO UPDATE SET value = $1', [String(step.version)]);
			// eslint-disable-next-line no-await-in-loop
			await client.query('COMMIT');
			applied.push(step.version);
		} catch (error) {
			// eslint-disable-next-line no-await-in-loop
			await client.query('ROLLBACK').catch(() => undefined);
			throw error;
		}
	}

	return applied;
}

/**
 * Check the schema before any work: create it in an empty database; refuse
 * a database of another program (unless `force`, which `db-migrate` passes),
 * a schema from a newer inkling, or an older one (`db-migrate` upgrades it).
 */
export async function prepareSchema(client: pg.ClientBase, location: string, options: {migrate?: boolean} = {}): Promise<{from: number | undefined; applied: number[]}> {
	const version = await readVersion(client);
	if (version !== undefined && version > schemaVersion) {
		throw new UserError(`${location}: its inkling tables are schema ${version}, from a newer inkling (this one knows up to ${schemaVersion}). Upgrade inkling (npm install inkling@latest) to use this database.`);
	}

	if (version === schemaVersion) {
		return {from: version, applied: []};
	}

	if (version === undefined && !options.migrate && await otherTables(client) > 0) {
		throw new UserError(`${location}: this database holds another program's tables and no inkling tables. Point --db at a database of inkling's own, or run \`inkling db-migrate --db URL\` to add inkling's tables (schema "inkling") beside them.`);
	}

	if (version !== undefined && !options.migrate) {
		throw new UserError(`${location}: its inkling tables are schema ${version}, older than this inkling's ${schemaVersion}. Run \`inkling db-migrate --db URL\` to upgrade them (after the other annotators' inkling is upgraded too).`);
	}

	return {from: version, applied: await migrate(client, version ?? 0)};
}
