import { isLotseError } from '../core/errors.js';

/** Runs a CLI's main function: a coded error prints its message and fix, anything else its stack. */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      if (isLotseError(error)) console.error(error.explain());
      else console.error(error);
      process.exitCode = isLotseError(error, 'USAGE') ? 2 : 1;
    },
  );
}
