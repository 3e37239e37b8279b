import type {CharConfig} from '../source/model/features.js';

/** A character CNN from a bench flag, `FILTERS[.WIDTH[.MAXCHARS]]` (such as 32 or 32.16.20); undefined when absent. */
export function parseChars(value: string | undefined, flag = '--chars'): CharConfig | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (!/^\d+(?:\.\d+){0,2}$/.test(value)) {
		throw new Error(`${flag}: ${value} is not FILTERS[.WIDTH[.MAXCHARS]], such as 32 or 32.16.20`);
	}

	const [filters, width = 16, maxChars = 20] = value.split('.').map(Number);
	return {
		rows: 256, width, filters: filters!, maxChars,
	};
}
