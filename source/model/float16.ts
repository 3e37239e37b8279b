// IEEE 754 half precision, for model folders stored at half the size. Node 20
// has no Float16Array, so values go through the bits of a float32.

const float = new Float32Array(1);
const bits = new Uint32Array(float.buffer);

/** The float16 bits nearest to `value` (round to nearest even; too large becomes infinity). */
export function toFloat16(value: number): number {
	float[0] = value;
	const x = bits[0]!;
	const sign = (x >>> 16) & 0x80_00;
	const exponent = (x >>> 23) & 0xFF;
	const mantissa = x & 0x7F_FF_FF;
	if (exponent === 0xFF) {
		// Infinity stays infinity; NaN stays NaN (a quiet one).
		return sign | 0x7C_00 | (mantissa === 0 ? 0 : 0x2_00);
	}

	// The exponent rebased from float32's bias (127) to float16's (15).
	const half = exponent - 127 + 15;
	if (half >= 0x1F) {
		return sign | 0x7C_00;
	}

	if (half <= 0) {
		// Subnormal in float16 (or zero): the mantissa with its implicit 1, shifted into place.
		if (half < -10) {
			return sign;
		}

		const full = mantissa | 0x80_00_00;
		const shift = 14 - half;
		const rounded = roundShift(full, shift);
		return sign | rounded;
	}

	// Normal: 10 of float32's 23 mantissa bits, rounded; a carry may bump the exponent (to infinity at most).
	const rounded = roundShift(mantissa, 13);
	return sign | ((half << 10) + rounded);
}

/** `value >> shift`, rounded to the nearest, ties to even. */
function roundShift(value: number, shift: number): number {
	const kept = value >>> shift;
	const rest = value - (kept * (2 ** shift));
	const halfway = 2 ** (shift - 1);
	if (rest > halfway || (rest === halfway && (kept & 1) === 1)) {
		return kept + 1;
	}

	return kept;
}

/** The number float16 `half` bits stand for. */
export function fromFloat16(half: number): number {
	const sign = (half & 0x80_00) === 0 ? 1 : -1;
	const exponent = (half >>> 10) & 0x1F;
	const mantissa = half & 0x3_FF;
	if (exponent === 0) {
		return sign * mantissa * (2 ** -24);
	}

	if (exponent === 0x1F) {
		return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
	}

	return sign * (1 + (mantissa / 1024)) * (2 ** (exponent - 15));
}

/** Float32 values as float16 bits. */
export function encodeFloat16(values: Float32Array): Uint16Array {
	return Uint16Array.from(values, value => toFloat16(value));
}

/** Float16 bits as float32 values (exact: every float16 is a float32). */
export function decodeFloat16(halves: Uint16Array): Float32Array {
	// One table of all 65,536 values: decoding a model is then a lookup per weight.
	table ??= Float32Array.from({length: 0x1_00_00}, (_, half) => fromFloat16(half));
	// An indexed loop: `Float32Array.from` with a map function, or `entries()`, go through the iterator protocol, several times slower.
	const decoded = new Float32Array(halves.length);
	// eslint-disable-next-line unicorn/no-for-loop -- see above
	for (let index = 0; index < halves.length; index++) {
		decoded[index] = table[halves[index]!]!;
	}

	return decoded;
}

let table: Float32Array | undefined;
