/**
 * The statistics page's script and styles, served from routes (the console's CSP allows no inline
 * script or style). The page is drawn on the server; the script links documents to groups of
 * unanswered questions, sending the session's CSRF token in a header, and shows what came back as
 * text only.
 */
export const STATISTICS_SCRIPT = String.raw`(() => {
  'use strict';
  const root = document.getElementById('statistics');
  if (!root) return;
  const csrf = root.dataset.csrf || '';

  async function post(body) {
    let response;
    try {
      response = await fetch('/advisor/api/statistics/links', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (error) {
      return { ok: false, data: { error: 'The console cannot reach Lotse. Please check the connection.' } };
    }
    const data = await response.json().catch(() => ({}));
    if (response.status === 401) data.error = 'Your session has ended. Please sign in again on the console.';
    return { ok: response.ok, data };
  }

  function statusText(link, askedSince) {
    if (!link) return 'Not covered by a document yet.';
    return 'Covered by “' + link.title + '” (linked ' + String(link.at).slice(0, 10) + ' by ' + link.by + ').' + (askedSince > 0 ? ' ' + askedSince + ' asked since.' : '');
  }

  for (const form of document.querySelectorAll('form.link-form')) {
    const group = form.dataset.group;
    const questions = (form.dataset.questions || '').split(' ').filter(Boolean);
    const input = form.querySelector('input[name="document"]');
    const error = form.querySelector('.error');
    const unlink = form.querySelector('button.unlink');
    const covered = document.getElementById('covered-' + group);
    const busy = (on) => { for (const button of form.querySelectorAll('button')) button.disabled = on; };

    async function send(documentId) {
      error.textContent = '';
      busy(true);
      const result = await post({ questions, document: documentId });
      busy(false);
      if (!result.ok) { error.textContent = result.data.error || 'The link could not be saved.'; return; }
      covered.textContent = statusText(result.data.link, 0);
      unlink.hidden = !result.data.link;
      form.closest('.group').classList.toggle('linked', Boolean(result.data.link));
      if (result.data.link) input.value = '';
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) { error.textContent = 'Choose a document first.'; input.focus(); return; }
      void send(value);
    });
    unlink.addEventListener('click', () => void send(null));
  }

})();
`;

export const STATISTICS_STYLES = `.page { max-width: 75rem; }
#statistics h2 { margin-top: 1.5rem; }
.range { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .8rem 0; }
.range .field { display: flex; flex-direction: column; gap: .2rem; }
.totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .6rem; margin: 0; }
.total { background: #f3f6fa; border-radius: .5rem; padding: .6rem .8rem; }
.total dt { font-weight: 600; font-size: .9rem; }
.total dd { margin: .2rem 0 0; }
.total .value { font-size: 1.5rem; font-weight: 700; }
.chart { margin: 1rem 0 1.5rem; }
.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
.chart-svg { width: 100%; height: auto; display: block; background: #fff; }
.chart-svg .grid { stroke: #d0d7de; stroke-width: 1; }
.chart-svg .tick { font-size: 11px; fill: #555; }
.s0 { fill: #0b5cad; background: #0b5cad; }
.s1 { fill: #6aa84f; background: #6aa84f; }
.s2 { fill: #e69138; background: #e69138; }
.s3 { fill: #a61c00; background: #a61c00; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; margin: .3rem 0; font-size: .9rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: .15rem; margin-inline-end: .3rem; vertical-align: -.1rem; }
.tables { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: .8rem; }
.table-card h3 { font-size: 1rem; margin: .4rem 0; }
.table-wrap { overflow-x: auto; }
#statistics table { border-collapse: collapse; width: 100%; font-size: .95rem; }
#statistics th, #statistics td { text-align: start; padding: .25rem .5rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
#statistics td { text-align: end; font-variant-numeric: tabular-nums; }
.note { font-size: .85rem; }
.groups { padding-inline-start: 1.4rem; display: flex; flex-direction: column; gap: .8rem; }
.group { border: 1px solid #d0d7de; border-radius: .5rem; padding: .6rem .8rem; }
.group.linked { border-color: #6aa84f; background: #f4faf1; }
.group .example { margin: 0 0 .3rem; font-weight: 600; unicode-bidi: plaintext; }
.group .examples { margin: .2rem 0; }
.group .examples li { unicode-bidi: plaintext; }
.covered { margin: .4rem 0; }
.link-form input { min-width: min(24rem, 100%); }
`;
