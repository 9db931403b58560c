import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { FaultStack, WEBHOOK_SECRET, type StackOptions } from './fault-stack.js';
import { LoadDriver } from './load-driver.js';
import { SETTINGS } from './settings.js';

/**
 * A FaultStack for one describe block: started in beforeAll with the prebuilt index, every
 * process killed in afterAll whatever happened; its logs kept (and their folder printed) if a
 * test failed.
 */
export function useFaultStack(options: Omit<StackOptions, 'indexDir'>) {
  let stack: FaultStack | undefined;
  let failed = false;
  beforeAll(async () => {
    stack = await FaultStack.start({ ...options, indexDir: inject('indexDir'), env: { ...SETTINGS.processEnv, ...options.env } });
  }, SETTINGS.hookTimeoutMs);
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });
  afterAll(async () => {
    await stack?.stop(failed);
  }, SETTINGS.hookTimeoutMs);
  const get = () => {
    if (!stack) throw new Error('the fault stack did not start (see beforeAll)');
    return stack;
  };
  return {
    get stack() {
      return get();
    },
    /** A fresh load driver (its own delivery counts) against this stack. */
    driver(): LoadDriver {
      const s = get();
      return new LoadDriver({ telegram: s.telegram, recorder: s.recorder, telegramMode: options.telegramMode, gatewayUrl: s.gatewayUrl, webhookSecret: WEBHOOK_SECRET });
    },
  };
}
