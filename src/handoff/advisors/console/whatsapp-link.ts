import QRCode from 'qrcode';
import type { LinkStatus } from '../../../channels/registry.js';
import { escapeHtml, frame } from './page-frame.js';
export { messagePage } from './page-frame.js';

/**
 * The admins' page for linking a phone number to Lotse through whatsapp-web.js: the state in plain
 * words and, while the number waits to be linked, the linking code as an inline SVG drawn on the
 * server (no third-party image service ever sees the code). The page reads the state again through
 * /advisor/api/whatsapp (its script, /advisor/whatsapp.js), since WhatsApp replaces the code about
 * every 20 seconds. The code is a credential for the number: it is never logged.
 */

export const WHATSAPP_DISABLED = 'WhatsApp Web is not enabled.';
export const WHATSAPP_ADMINS_ONLY = 'Only admins can link WhatsApp.';
export const SCAN_INSTRUCTIONS = 'On the phone: WhatsApp › Settings › Linked devices › Link a device, then scan this code.';

/** What each state means for the admin looking at the page. */
export const LINK_STATE_TEXT: Record<LinkStatus['state'], string> = {
  starting: 'Starting WhatsApp Web… the linking code appears here in a moment.',
  qr: 'Not linked yet: scan the code below.',
  ready: 'Linked: Lotse sends and receives WhatsApp messages on this number.',
  standby: 'On standby: another Lotse process holds the WhatsApp session.',
  disconnected: 'Disconnected from WhatsApp. A new linking code appears here when Lotse can link again.',
};

/** What the page shows, and what its script reads every few seconds. */
export interface LinkAnswer {
  state: LinkStatus['state'];
  since: string;
  /** The state in plain words (the page's script shows it as it is). */
  text: string;
  /** The linking code as SVG markup, while `state` is `qr`. */
  svg?: string;
}

/** The status with its code drawn. A failure to draw it says nothing of the code, so that no log line can carry it. */
export async function linkAnswer(status: LinkStatus): Promise<LinkAnswer> {
  const answer: LinkAnswer = { state: status.state, since: status.since, text: LINK_STATE_TEXT[status.state] ?? status.state };
  if (status.state !== 'qr' || !status.qr) return answer;
  try {
    answer.svg = await QRCode.toString(status.qr, { type: 'svg', margin: 2 });
  } catch {
    throw new Error('the WhatsApp linking code could not be drawn as a QR code');
  }
  return answer;
}


/** "2026-03-02 14:05 UTC": the server does not know the admin's time zone; the script shows local time once it runs. */
function sinceText(since: string): string {
  const at = new Date(since);
  return Number.isNaN(at.getTime()) ? since : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The linking page as it is now; `svg` is qrcode's own markup (paths only), everything else is escaped. */
export function whatsappLinkPage(answer: LinkAnswer): string {
  const since = escapeHtml(answer.since);
  return frame(
    'Link WhatsApp',
    `<h2>Link WhatsApp</h2>
<p id="link-state" class="link-state" role="status" aria-live="polite" data-state="${escapeHtml(answer.state)}">${escapeHtml(answer.text)}</p>
<p class="muted">Since <time id="link-since" datetime="${since}">${escapeHtml(sinceText(answer.since))}</time></p>
<div id="link-code"${answer.svg ? '' : ' hidden'}>
  <p>${escapeHtml(SCAN_INSTRUCTIONS)}</p>
  <div id="link-qr" class="qr" role="img" aria-label="WhatsApp linking code">${answer.svg ?? ''}</div>
  <p class="muted">WhatsApp replaces the code about every 20 seconds; this page follows it.</p>
</div>
<p id="link-error" class="error" role="alert"></p>`,
    '/advisor/whatsapp.js',
  );
}

/**
 * The linking page's script (the CSP allows no inline script). It reads /advisor/api/whatsapp every
 * 3 seconds while a code is shown or coming, every 10 otherwise, as an automatic request (it does not
 * keep the session alive). The SVG is parsed as SVG, never as HTML, and only an <svg> root is taken.
 */
export const WHATSAPP_SCRIPT = String.raw`(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let shown = null;

  function showCode(svg) {
    const box = $('link-qr');
    if (!svg) { box.replaceChildren(); shown = null; $('link-code').hidden = true; return; }
    if (svg !== shown) {
      const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const root = parsed.documentElement;
      if (root.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) return;
      box.replaceChildren(document.importNode(root, true));
      shown = svg;
    }
    $('link-code').hidden = false;
  }

  function showSince(since) {
    const time = $('link-since');
    const at = new Date(since);
    time.dateTime = since;
    time.textContent = isNaN(at.getTime()) ? since : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  }

  async function poll() {
    let next = 10000;
    try {
      const response = await fetch('/advisor/api/whatsapp', { headers: { accept: 'application/json', 'x-console-auto': '1' }, credentials: 'same-origin', cache: 'no-store' });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        showCode(null);
        $('link-error').textContent = response.status === 401 ? 'Your session has ended. Sign in again on the console.' : (data.error || 'The state could not be read.');
        // Signed out, not an admin any more, or switched off: asking again would not change that.
        if (response.status === 401 || response.status === 403 || response.status === 404) return;
      } else {
        $('link-error').textContent = '';
        const state = $('link-state');
        if (state.dataset.state !== data.state) { state.dataset.state = data.state; state.textContent = data.text; }
        showSince(data.since);
        showCode(data.state === 'qr' ? data.svg : null);
        if (data.state === 'qr' || data.state === 'starting') next = 3000;
      }
    } catch (error) {
      $('link-error').textContent = 'The console cannot reach Lotse. Trying again…';
    }
    setTimeout(poll, next);
  }

  showSince($('link-since').dateTime);
  setTimeout(poll, 3000);
})();
`;
