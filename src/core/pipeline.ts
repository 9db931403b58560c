/** One step of message handling: does its part, then calls next() to go on, or returns to stop. */
export type Step<C> = (ctx: C, next: () => Promise<void>) => Promise<void>;

/**
 * Chains steps into one (the grammY Composer model). Calling next() twice in one step is a bug
 * and throws, because it would run the rest of the chain twice.
 */
export function compose<C>(steps: Step<C>[]): Step<C> {
  return async (ctx, last) => {
    const run = async (index: number): Promise<void> => {
      const step = steps[index];
      if (!step) return last();
      let called = false;
      await step(ctx, async () => {
        if (called) throw new Error(`a pipeline step called next() twice: ${step.name || `step ${index}`}`);
        called = true;
        await run(index + 1);
      });
    };
    await run(0);
  };
}

/** Runs a sub-chain; an error inside it goes to the handler with the context, and the chain stops there. Steps after the boundary run after the sub-chain (as in grammY), so their errors are not caught here. */
export function errorBoundary<C>(handler: (error: unknown, ctx: C) => Promise<void>, ...steps: Step<C>[]): Step<C> {
  const inner = compose(steps);
  return async (ctx, next) => {
    let reached = false;
    try {
      await inner(ctx, async () => {
        reached = true;
      });
    } catch (error) {
      await handler(error, ctx);
      return;
    }
    if (reached) await next();
  };
}

/** Gives a step a name that error messages and traces can show. */
export function named<C>(name: string, step: Step<C>): Step<C> {
  Object.defineProperty(step, 'name', { value: name });
  return step;
}
