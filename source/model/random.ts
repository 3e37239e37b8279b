/** A deterministic generator of numbers in [0, 1) from a seed (xorshift32), for initialisation, shuffling and dropout seeds. */
export function seededRandom(seed: number): () => number {
	let state = (seed >>> 0) || 0x12_34_56_78;
	return () => {
		state ^= state << 13;
		state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state / 0x1_00_00_00_00;
	};
}
