import * as tf from '@tensorflow/tfjs';

/*
 * Building blocks that run fast and correctly on every backend. The wasm
 * backend has no kernel for the gradient of `gather` (UnsortedSegmentSum) and
 * runs `matMul` with a transpose flag ten times slower than a `transpose`
 * then a `matMul`, so both get gradients of their own here.
 */

/**
 * Rows of `table` at `indices` (int32 `[n]`), `[n, columns]`. The gradient
 * sums each row's updates with `scatterND`, which adds duplicate indices.
 */
export function gatherRows(table: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
	const [rows, columns] = table.shape;
	// The indices come in by closure (customGrad would make an input float32)
	// and are saved, so they outlive the forward pass's scope.
	const gather = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
		const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
		save([indices]);
		return {
			value: tf.gather(x, indices),
			gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(saved[0]!.expandDims(1), dy, [rows, columns]),
		};
	});
	return gather(table) as tf.Tensor2D;
}

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
