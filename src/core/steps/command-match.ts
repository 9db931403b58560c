import { isOneOf } from '../text/normalize-text.js';
import type { Translator } from '../ports.js';
import type { TurnContext } from '../turn-context.js';

export const COMMANDS = ['start', 'help', 'language', 'advisor', 'delete', 'profile', 'more'] as const;
export type Command = (typeof COMMANDS)[number];

const SLASH: Record<string, Command> = { start: 'start', help: 'help', language: 'language', lang: 'language', advisor: 'advisor', human: 'advisor', delete: 'delete', profile: 'profile', more: 'more' };

/**
 * The command a message is, if it is one: a slash command (/help), a button (cmd:help), or the
 * whole message being a command word in any of the ten languages ("aide", "مساعدة", "pomoć").
 */
export function matchCommand(ctx: TurnContext, translator: Translator): Command | undefined {
  const action = ctx.message.action;
  if (action?.startsWith('cmd:')) {
    const name = action.slice(4);
    return (COMMANDS as readonly string[]).includes(name) ? (name as Command) : undefined;
  }
  const slash = /^\/([a-z]+)(@\w+)?$/i.exec(ctx.text);
  if (slash) return SLASH[slash[1]!.toLowerCase()];
  return COMMANDS.find((command) => isOneOf(ctx.text, translator.words(`commandWords.${command}`)));
}

/** True when the message is a yes (or no, skip, ...) in any language, or the matching button. */
export function isChoice(ctx: TurnContext, translator: Translator, word: 'yes' | 'no' | 'skip' | 'go' | 'returned'): boolean {
  return ctx.message.action === `choice:${word}` || isOneOf(ctx.text, translator.words(`commandWords.${word}`));
}
