import { CONTENT_SECURITY_POLICY } from '../handoff/advisors/console/security-headers.js';

/**
 * The one inline style bull-board's page keeps once its loading placeholder is cleaned (below): the
 * <style> inside its Redis logo (an inline SVG), allowed by its hash. A new bull-board version may
 * change it; test/e2e/queue-dashboard.test.ts then fails with the CSP violation and its new hash.
 */
const REDIS_LOGO_STYLE = "'sha256-r2N1TB/gHbBtBZFKg7ejmq1acVSREzucTAEw6ga4hoU='";

/**
 * The console's CSP, loosened for the queue dashboard only where bull-board's page needs it:
 * - `base-uri 'self'`: its page sets `<base href="/admin/queues/">`, against which its scripts,
 *   styles and API calls resolve (the console allows no base at all);
 * - `style-src` also allows the Redis logo's inline style, by its hash.
 * Scripts stay 'self' only, nothing loads from another origin, no inline style otherwise. (The
 * JSON editor of bull-board's "add job" and "edit data" dialogs adds styles at run time and shows
 * unstyled: those actions are refused anyway, see dashboard-policy.ts.)
 */
export const DASHBOARD_CSP = CONTENT_SECURITY_POLICY.replace("base-uri 'none'", "base-uri 'self'").replace("style-src 'self'", `style-src 'self' ${REDIS_LOGO_STYLE}`);

/**
 * bull-board's page without what would reach outside Lotse or need inline styles: its link to
 * Google Fonts (the page falls back to the system's sans-serif), and the inline styles of its
 * "Loading" placeholder (shown for a moment before its script draws the page).
 */
export function cleanedPage(html: string): string {
  return html
    .replace(/<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>\s*/g, '')
    .replace(/ style="[^"]*"/g, '')
    .replace(/<style>[^<]*<\/style>/g, '');
}
