import test from 'ava';
import {nextSteps} from '../../source/commands/teach-screen.js';

test('after teach, the next step is train judged on gold: the dataset left out with -e, or one to make with correct', t => {
	t.deepEqual(nextSteps({
		dataset: 'jobs', model: 'models/job_titles', source: 'ads.jsonl', exclude: ['jobs_gold'],
	}, ['JOB_TITLE']), ['Next: inkling train jobs models/job_titles -o models/jobs -l JOB_TITLE -e jobs_gold']);
	t.deepEqual(nextSteps({
		dataset: 'jobs', model: 'models/jobs', source: 'ads.jsonl', exclude: [],
	}, ['JOB_TITLE', 'SKILL']), [
		'Next: inkling train jobs models/jobs -o models/jobs-2 -l JOB_TITLE,SKILL -e jobs_gold',
		'(jobs_gold: gold sentences the model never learns from, which tell whether the new model is better; make them with `inkling correct jobs_gold models/jobs ads.jsonl -l JOB_TITLE,SKILL -e jobs`.)',
	]);
});
