import { describe, expect, it } from 'vitest';
import { compose, errorBoundary, named, type Step } from '../../../src/core/pipeline.js';

type Ctx = { log: string[] };
const push = (name: string): Step<Ctx> => async (ctx, next) => {
  ctx.log.push(`${name}>`);
  await next();
  ctx.log.push(`<${name}`);
};

describe('compose', () => {
  it('runs steps in order, each around the rest', async () => {
    const ctx: Ctx = { log: [] };
    await compose([push('a'), push('b')])(ctx, async () => void ctx.log.push('end'));
    expect(ctx.log).toEqual(['a>', 'b>', 'end', '<b', '<a']);
  });

  it('stops where a step does not call next', async () => {
    const ctx: Ctx = { log: [] };
    await compose<Ctx>([push('a'), async (c) => void c.log.push('stop'), push('never')])(ctx, async () => void ctx.log.push('end'));
    expect(ctx.log).toEqual(['a>', 'stop', '<a']);
  });

  it('refuses a second call of next, naming the step', async () => {
    const twice = named<Ctx>('twice', async (_ctx, next) => {
      await next();
      await next();
    });
    await expect(compose([twice])({ log: [] }, async () => undefined)).rejects.toThrow('called next() twice: twice');
  });
});

describe('errorBoundary', () => {
  it('hands an error to the handler with the context and stops the chain', async () => {
    const ctx: Ctx = { log: [] };
    const boom: Step<Ctx> = async () => {
      throw new Error('boom');
    };
    const guarded = errorBoundary<Ctx>(async (error, c) => void c.log.push(`caught ${(error as Error).message}`), boom);
    await compose([guarded, push('after')])(ctx, async () => undefined);
    expect(ctx.log).toEqual(['caught boom']);
  });

  it('goes on after the guarded steps when they called next, so later errors are not its to catch (as grammY)', async () => {
    const ctx: Ctx = { log: [] };
    await compose([errorBoundary<Ctx>(async () => undefined, push('inner')), push('after')])(ctx, async () => undefined);
    expect(ctx.log).toEqual(['inner>', '<inner', 'after>', '<after']);
    const later: Step<Ctx> = async () => {
      throw new Error('later');
    };
    const handled: string[] = [];
    const chain = compose([errorBoundary<Ctx>(async (e) => void handled.push(String(e)), push('inner')), later]);
    await expect(chain({ log: [] }, async () => undefined)).rejects.toThrow('later');
    expect(handled).toEqual([]);
  });
});
