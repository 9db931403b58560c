import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';

export const BENCHMARKS_FILE = 'BENCHMARKS.md';

/** Replaces (or appends) the section between <!-- name:start --> and <!-- name:end --> in BENCHMARKS.md. */
export async function writeSection(name: string, body: string, file = BENCHMARKS_FILE): Promise<void> {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let text = await readFile(file, 'utf8').catch(() => '# Benchmarks\n\nMeasured with `npm run bench` on the development machine; every figure is from one run of that command.\n');
  const section = `${start}\n${body.trim()}\n${end}`;
  const at = text.indexOf(start);
  text = at >= 0 ? text.slice(0, at) + section + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(file, text);
}

/** "2 × AMD EPYC …, 24 GB, Node v20.20.2, 2026-12-01": where and when a figure was measured. */
export function machineLine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}
