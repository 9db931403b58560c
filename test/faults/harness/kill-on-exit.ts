import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let hooked = false;

/**
 * Backstop: children still running when this process exits (a crashed test run, a forgotten
 * afterAll) get SIGKILL, so that no gateway, worker or redis-server outlives the tests.
 */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const running of children) {
      try {
        running.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}
