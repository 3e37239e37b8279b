import * as tf from '@tensorflow/tfjs';

/** One entry of a variable, with its gradient and the loss with the entry moved by -epsilon, 0 and +epsilon. */
export type Probe = {index: number; analytic: number; lower: number; here: number; upper: number};

/**
 * The `count` entries of `variable` with the largest gradients (small ones
 * drown in float32 noise), each with the loss around it, for a check against
 * finite differences. The variable is restored after.
 */
export function probeLargest(variable: tf.Variable, gradient: tf.Tensor, loss: () => tf.Scalar, epsilon: number, count = 3): Probe[] {
	const analytic = gradient.dataSync();
	const values = [...variable.dataSync()];
	const order = [...analytic.keys()].sort((a, b) => Math.abs(analytic[b]!) - Math.abs(analytic[a]!)).slice(0, count);
	return order.map(index => {
		const shifted = (delta: number) => {
			const copy = [...values];
			copy[index]! += delta;
			variable.assign(tf.tensor(copy, variable.shape));
			return tf.tidy(() => loss().dataSync()[0]!);
		};

		const probe = {
			index, analytic: analytic[index]!, lower: shifted(-epsilon), here: shifted(0), upper: shifted(epsilon),
		};
		variable.assign(tf.tensor(values, variable.shape));
		return probe;
	});
}
