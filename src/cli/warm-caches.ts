import { loadConfig } from '../config/config.js';
import { scopeModel } from '../answering/scope-model.js';
import { MODEL_CACHE_DIR, screenModel, screenModelReady } from '../escalation/learned/screen-model.js';
import { runCli } from './run-cli.js';

/**
 * `npm run warm` (also the last step of `npm run build`'s `prepare`, so `npm ci` and `npm install`
 * do it, and of the Docker image's build): what every start needs and can keep, made once into
 * node_modules/.cache/lotse: the safety screen and the scope model trained on their corpora, and the
 * subset of eld's language database (made when detect-language.ts is imported). The first `npm start`
 * after an install then starts as fast as every later one; a corpus changed later is trained on at
 * the next start, as before.
 */
runCli(async () => {
  const started = performance.now();
  const config = loadConfig(process.env);
  const trained = !screenModelReady();
  await import('../i18n/detect-language.js');
  screenModel();
  scopeModel(undefined, config.knowledgeDir);
  console.error(`caches ready in ${MODEL_CACHE_DIR} (${trained ? 'safety screen trained, ' : ''}${((performance.now() - started) / 1000).toFixed(1)} s)`);
});
