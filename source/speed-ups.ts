/**
 * The speed-ups of the screens that lean on a library's or the system's
 * internals. Each is measured against its absence in one run of
 * `bench:teach-latency --without`, which turns them off by name through
 * INKLING_WITHOUT (a comma list, or "all"); BENCHMARKS.md has the figures
 * that keep each one here.
 */
export const speedUps = ['fast-output', 'thread-priority'] as const;

export type SpeedUp = typeof speedUps[number];

/** Whether `name` is on: it is unless INKLING_WITHOUT names it (or says "all"). */
export function speedUpOn(name: SpeedUp, environment: NodeJS.ProcessEnv = process.env): boolean {
	const off = new Set((environment.INKLING_WITHOUT ?? '').split(',').map(item => item.trim()));
	return !off.has(name) && !off.has('all');
}
