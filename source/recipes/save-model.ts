import fs from 'node:fs';
import type {NerModel} from '../model/model.js';

/** Save a model folder so a crash mid-save leaves the previous save whole. */
export function saveAtomically(model: NerModel, folder: string, meta: Record<string, unknown>): void {
	const fresh = `${folder}.saving-${process.pid}`;
	const old = `${folder}.old-${process.pid}`;
	fs.rmSync(fresh, {recursive: true, force: true});
	model.save(fresh, {created: new Date().toISOString(), training: meta});
	if (fs.existsSync(folder)) {
		fs.renameSync(folder, old);
	}

	fs.renameSync(fresh, folder);
	fs.rmSync(old, {recursive: true, force: true});
}
