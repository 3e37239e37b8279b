import path from 'node:path';
import {randomBytes} from 'node:crypto';
import type {ExecutionContext} from 'ava';
import pg from 'pg';
import {PostgresStore, type PostgresOptions} from '../../source/store/postgres.js';
import {JsonStore, type Store} from '../../source/store/store.js';
import {hasSharedDatasets, temporaryFolder} from './temp.js';

/**
 * The PostgreSQL server the store tests use: `INKLING_TEST_POSTGRES`, a URL
 * that `.ci/run` sets after starting a throwaway cluster
 * (scripts/postgres-cluster.sh). Where it is unset, those tests skip.
 */
export const testServer = process.env.INKLING_TEST_POSTGRES === '' ? undefined : process.env.INKLING_TEST_POSTGRES;

export type StoreKind = 'json' | 'postgres';

/** The URL of a new, empty database on the test server, dropped when the test ends. */
export async function freshDatabase(t: ExecutionContext): Promise<string> {
	const name = `inkling_test_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({connectionString: testServer});
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	t.teardown(async () => {
		const client = new pg.Client({connectionString: testServer});
		await client.connect();
		await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await client.end();
	});
	const url = new URL(testServer!);
	url.pathname = `/${name}`;
	return url.toString();
}

/** A store of the kind, empty, closed when the test ends; a PostgreSQL store keeps its outbox in a temporary folder. */
export async function openTestStore(t: ExecutionContext, kind: StoreKind, options: PostgresOptions = {}): Promise<{store: Store; folder: string; location: string; reopen: () => Promise<Store>}> {
	const folder = temporaryFolder(t);
	const location = kind === 'json' ? path.join(folder, 'db.json') : await freshDatabase(t);
	const all: Store[] = [];
	const reopen = async () => {
		const store = kind === 'json' ? JsonStore.open(location, options) : await PostgresStore.open(location, {outboxFolder: path.join(folder, 'outbox'), ...options});
		all.push(store);
		return store;
	};

	const store = await reopen();
	t.teardown(async () => {
		for (const each of all) {
			await each.close();
		}
	});
	return {
		store, folder, location, reopen,
	};
}

/** The stores a test runs on, with the words its title ends with: PostgreSQL only where a test server is set. */
export const storeCases: Array<{kind: StoreKind; title: string; available: boolean}> = [
	{kind: 'json', title: 'JSON store', available: true},
	{kind: 'postgres', title: testServer ? 'PostgreSQL store' : 'PostgreSQL store: skipped, INKLING_TEST_POSTGRES is not set (.ci/run sets it)', available: testServer !== undefined},
];

type Register = (title: string, run: (t: ExecutionContext) => Promise<void>) => void;

/**
 * Register a test once per store with ava's `test` (or `test.serial`) and its
 * `skip`: on the JSON file, and on PostgreSQL where a test server is set.
 * `needsDatasets` skips it too where ../shared/datasets is absent.
 */
export function eachStore(register: Register & {skip: Register}, title: string, run: (t: ExecutionContext, kind: StoreKind) => Promise<void>, needsDatasets = false): void {
	for (const {kind, title: store, available} of storeCases) {
		const chosen = available && (!needsDatasets || hasSharedDatasets()) ? register : register.skip;
		chosen(`${title} (${store})`, async t => run(t, kind));
	}
}
