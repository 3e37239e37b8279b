import * as tf from '@tensorflow/tfjs';

/*
 * Building blocks that run fast and correctly on every backend. The wasm
 * backend runs `matMul` with a transpose flag ten times slower than a
 * `transpose` then a `matMul`, so it gets gradients of its own here.
 */

/** `x · w`, `[n, in] · [in, out]`, with gradients that transpose explicitly. */
export function matMul(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
	const multiply = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
		const [a, b, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
		save([a, b]);
		return {
			value: tf.matMul(a, b),
			gradFunc(dy: tf.Tensor, saved: tf.Tensor[]) {
				const [savedA, savedB] = saved as [tf.Tensor2D, tf.Tensor2D];
				return [
					tf.matMul(dy, savedB.transpose()),
					tf.matMul(savedA.transpose(), dy),
				];
			},
		};
	});
	return multiply(x, w) as tf.Tensor2D;
}

/** Normalise the last axis to zero mean and unit variance, then scale and shift. */
export function layerNorm(x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor2D {
	const {mean, variance} = tf.moments(x, -1, true);
	return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(gain).add(bias);
}

/** Inverted dropout: zero a share `rate` of the values and scale the rest up; nothing when not training. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed?: number): T {
	if (rate <= 0) {
		return x;
	}

	const keep = tf.randomUniform(x.shape, 0, 1, 'float32', seed).greaterEqual(rate).cast('float32');
	return x.mul(keep).div(1 - rate);
}
