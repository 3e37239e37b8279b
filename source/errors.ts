import fs from 'node:fs';

/**
 * A mistake the person can fix (a bad flag, a missing file, a bad line): the
 * CLI prints its message, without a stack trace, and exits with code 1.
 */
export class UserError extends Error {
	override name = 'UserError';
}

/** A file that cannot be read as it should: names the file and the line. */
export class CorruptFileError extends UserError {
	override name = 'CorruptFileError';

	constructor(
		readonly file: string,
		readonly line: number | undefined,
		problem: string,
		remedy: string,
	) {
		super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}. ${remedy}`);
	}
}

/**
 * Read a file the person named, or throw a UserError: `whenMissing` follows
 * the path when it does not exist; other failures say why.
 */
export function readUserFile(file: string, whenMissing: string): Buffer {
	try {
		return fs.readFileSync(file);
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		throw new UserError(code === 'ENOENT' ? `${file}: ${whenMissing}` : `${file}: cannot be read (${code ?? String(error)}).`);
	}
}
