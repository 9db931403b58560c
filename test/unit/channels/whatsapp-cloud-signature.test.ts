import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, validSignature } from '../../../src/channels/whatsapp/cloud/webhook-signature.js';

const secret = 'app-secret-123';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const right = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('validSignature', () => {
  it('accepts the HMAC-SHA256 of the raw body with the app secret, in either hex case', () => {
    expect(validSignature(body, right, secret)).toBe(true);
    expect(validSignature(body, right.toUpperCase().replace('SHA256=', 'sha256='), secret)).toBe(true);
    expect(signatureHeader(body, secret)).toBe(right);
  });

  it('refuses another secret, another body, a missing or empty header', () => {
    expect(validSignature(body, right, 'other-secret')).toBe(false);
    expect(validSignature(Buffer.from(`${body.toString()} `), right, secret)).toBe(false);
    expect(validSignature(body, undefined, secret)).toBe(false);
    expect(validSignature(body, '', secret)).toBe(false);
    expect(validSignature(body, right, '')).toBe(false);
  });

  it('refuses malformed headers and digests of another length without throwing', () => {
    const hex = right.slice('sha256='.length);
    for (const header of [hex, `sha1=${hex}`, `sha256=${hex.slice(0, 62)}`, `sha256=${hex}00`, `sha256=${'z'.repeat(64)}`, 'sha256=', `sha256=${hex.slice(0, 32)}`]) {
      expect(validSignature(body, header, secret), header).toBe(false);
    }
  });
});
