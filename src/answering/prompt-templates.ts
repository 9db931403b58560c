import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A prompt file from prompts/ with {{name}} placeholders. Values are inserted once and never re-read as template. */
export class PromptTemplate {
  constructor(readonly text: string) {}

  static load(promptsDir: string, name: string): PromptTemplate {
    return new PromptTemplate(readFileSync(path.join(promptsDir, name), 'utf8'));
  }

  render(values: Record<string, string>): string {
    return this.text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  }
}
