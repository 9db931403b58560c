import { describe, expect, it } from 'vitest';
import { CONSOLE_PAGE } from '../../../src/handoff/advisors/console/console-page.js';
import { CONSOLE_SCRIPT } from '../../../src/handoff/advisors/console/console-script.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/handoff/advisors/console/security-headers.js';

describe('the console page', () => {
  it('has no inline script, style or handler, so the CSP needs nothing unsafe', () => {
    expect(CONSOLE_PAGE).toContain('<script src="/advisor/console.js" defer></script>');
    expect(CONSOLE_PAGE).not.toMatch(/<script>|<script [^>]*>[^<]/);
    expect(CONSOLE_PAGE).not.toMatch(/<style|style="| on[a-z]+="/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('labels every field, and has a log region for the conversation', () => {
    const ids = [...CONSOLE_PAGE.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    for (const id of ids) expect(CONSOLE_PAGE).toContain(`<label for="${id}">`);
    expect(CONSOLE_PAGE).toMatch(/<ol id="history"[^>]*role="log"[^>]*aria-live="polite"/);
    expect(CONSOLE_PAGE).toContain('role="status"');
    expect(CONSOLE_PAGE).toContain('name="viewport"');
  });

  it('has a script that parses, sets user text as text only, and lays messages out in their own direction', () => {
    expect(() => new Function(CONSOLE_SCRIPT)).not.toThrow();
    expect(CONSOLE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(CONSOLE_SCRIPT).toContain("div.dir = 'auto'");
    expect(CONSOLE_SCRIPT).toContain("'x-csrf-token'");
  });
});
