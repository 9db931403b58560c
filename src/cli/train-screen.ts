import { loadTrainingCorpus, SIGNAL_CLASSES } from '../escalation/learned/training-corpus.js';
import { screenModel } from '../escalation/learned/screen-model.js';
import { runCli } from './run-cli.js';

/**
 * `npm run train:screen`: trains the safety screen on src/escalation/training (or loads it from
 * the cache when the corpus has not changed) and prints the corpus and the calibration: the
 * thresholds and what folds that leave one writer out gave with them. `npm start` does the same
 * on its way up when no trained model is cached.
 */
runCli(async () => {
  const corpus = loadTrainingCorpus();
  const started = performance.now();
  const model = screenModel();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const byLabel = SIGNAL_CLASSES.map((label) => `${label} ${corpus.messages.filter((m) => m.label === label).length}`).join(', ');
  const writers = new Set(corpus.messages.map((m) => m.source)).size;
  const { temperature, thresholds, folds } = model.calibration;
  const pct = (value: number) => `${Math.round(value * 100)}%`;
  console.log(`Corpus: ${corpus.messages.length} messages from ${writers} files (${byLabel}); ready in ${seconds} s`);
  console.log(`Calibration: temperature ${temperature}; thresholds safety ${thresholds.safety}, sensitive ${thresholds.sensitive}, user_request ${thresholds.user_request}, risk ${thresholds.risk}`);
  console.log(
    `Writers left out (folds): safety ${pct(folds.safety)}, at risk ${pct(folds.atRisk)}, sensitive ${pct(folds.sensitive)}, user_request ${pct(folds.user_request)}, false alarms ${pct(folds.falseAlarms)}`,
  );
});
