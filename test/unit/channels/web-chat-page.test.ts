import { describe, expect, it } from 'vitest';
import { CHAT_PAGE } from '../../../src/channels/web/chat-page.js';

const script = CHAT_PAGE.slice(CHAT_PAGE.indexOf('<script>') + '<script>'.length, CHAT_PAGE.indexOf('</script>'));

describe('the web chat page', () => {
  it('has a script that parses', () => {
    expect(() => new Function(script)).not.toThrow();
  });

  it('keeps no session id: no storage, nothing of a session in a request', () => {
    expect(script).not.toMatch(/localStorage|sessionStorage|document\.cookie/);
    expect(script).not.toMatch(/session=|session:/);
  });

  it('loads nothing from elsewhere', () => {
    expect(CHAT_PAGE).not.toMatch(/(src|href)=["']https?:/);
  });
});
