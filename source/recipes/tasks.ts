import fs from 'node:fs';
import {UserError} from '../errors.js';
import type {Store} from '../store/store.js';
import {readTasks} from '../store/formats.js';
import type {Task} from '../task/task.js';

/** Tasks from a dataset name or a file (JSONL, JSON or CoNLL), so data in files trains without an import. */
export async function loadTasks(database: Store | undefined, source: string): Promise<Task[]> {
	if (fs.existsSync(source) && fs.statSync(source).isFile()) {
		const {tasks, bad} = readTasks(source);
		if (bad.length > 0) {
			throw new UserError(`${bad[0]!.file}:${bad[0]!.line}: ${bad[0]!.problem} (${bad.length} bad lines in all). Fix the file or import it with \`inkling db-in --skip-invalid\`.`);
		}

		return tasks;
	}

	if (database && await database.dataset(source)) {
		const stored = await database.examples(source);
		return stored.map(example => example.task);
	}

	throw new UserError(`"${source}" is neither a dataset in ${database?.location ?? 'the database'} nor a file. \`inkling stats -l\` lists the datasets.`);
}
