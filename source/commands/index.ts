import type {CommandModule} from 'yargs';
import {correct} from './correct.js';
import {dbIn} from './db-in.js';
import {dbOut} from './db-out.js';
import {dbRecover} from './db-recover.js';
import {doctor} from './doctor.js';
import {drop} from './drop.js';
import {evalAb} from './eval-ab.js';
import {evaluate} from './eval.js';
import {manual} from './manual.js';
import {printDataset} from './print-dataset.js';
import {printStream} from './print-stream.js';
import {review} from './review.js';
import {silverToGold} from './silver-to-gold.js';
import type {GlobalArgs} from './shared.js';
import {stats} from './stats.js';
import {teach} from './teach.js';
import {trainCurve} from './train-curve.js';
import {train} from './train.js';

/** Every command, in the order `--help` lists them. */
export const commands = [
	teach,
	manual,
	correct,
	silverToGold,
	review,
	train,
	trainCurve,
	evaluate,
	evalAb,
	printStream,
	printDataset,
	dbIn,
	dbOut,
	stats,
	drop,
	dbRecover,
	doctor,
] as unknown as Array<CommandModule<GlobalArgs, GlobalArgs>>;
