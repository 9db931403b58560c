import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorField } from '../../../src/infra/logger.js';
import { PiiRedactor } from '../../../src/privacy/pii-redactor.js';

describe('the logger', () => {
  it('never writes what a user wrote, their id, or a secret', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    logger.info({ message: { text: 'my passport C01X00T47', userId: '4912345678' }, token: '123:ABC', brief: 'details' }, 'turn');
    logger.warn({ err: errorField(new Error('could not reach +49 151 23456789 or amina@example.com'), new PiiRedactor()) }, 'recovered');
    const out = lines.join('');
    for (const secret of ['C01X00T47', '4912345678', '123:ABC', 'details', '23456789', 'amina@example.com']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(out).toContain('[phone]');
  });
});
