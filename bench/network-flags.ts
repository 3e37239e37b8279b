import type {CharConfig} from '../source/model/features.js';

/**
 * A character CNN from a bench flag, `FILTERS[.WIDTH[.MAXCHARS]]` (such as
 * 32 or 32.16.20); `none`: a model without one (false); undefined when absent
 * (the default model's).
 */
export function parseChars(value: string | undefined, flag = '--chars'): CharConfig | false | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (value === 'none') {
		return false;
	}

	if (!/^\d+(?:\.\d+){0,2}$/.test(value)) {
		throw new Error(`${flag}: ${value} is not FILTERS[.WIDTH[.MAXCHARS]], such as 32 or 32.16.20, or none`);
	}

	const [filters, width = 16, maxChars = 20] = value.split('.').map(Number);
	return {
		rows: 256, width, filters: filters!, maxChars,
	};
}

/** The network settings a `--chars` flag's value asks for: nothing for the default. */
export function charsOverride(chars: CharConfig | false | undefined): {chars?: CharConfig | undefined} {
	return chars === undefined ? {} : {chars: chars || undefined};
}

/** How a log line names a `--chars` flag's value. */
export function describeChars(chars: CharConfig | false | undefined): string {
	return chars === undefined ? 'the default model\'s' : (chars ? JSON.stringify(chars) : 'none');
}

/** Each window layer's dilation from a bench flag, such as 1,2,4,1 (the depth follows); undefined when absent (the default model's). */
export function parseDilations(value: string | undefined, flag = '--dilations'): number[] | undefined {
	const dilations = value?.split(',').map(Number);
	if (dilations?.some(dilation => !Number.isInteger(dilation) || dilation < 1)) {
		throw new Error(`${flag}: ${value} is not a list of whole numbers of 1 and over, such as 1,2,4,1`);
	}

	return dilations;
}
