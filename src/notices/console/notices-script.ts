/**
 * The event notices page's script (served at /advisor/notices.js; the CSP allows no inline script).
 * It fills in the browser's time zone and the list of zones, sends the form as JSON with the
 * session's CSRF token, shows each refusal beside its field, and lists the notices with their
 * counts, reading them again every 10 seconds as an automatic request (it keeps no session alive).
 * Everything from the server is shown as text, never as HTML.
 */
export const NOTICES_SCRIPT = String.raw`(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const FIELD_IDS = { title: 'notice-title', date: 'notice-date', time: 'notice-time', timeZone: 'notice-zone', link: 'notice-link', countries: 'notice-countries', languages: 'notice-languages', audience: 'notice-audience' };
  let csrf = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function api(method, path, body, auto) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    if (auto) headers['x-console-auto'] = '1';
    const response = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    return { status: response.status, data };
  }

  function fillZones() {
    const zone = (Intl.DateTimeFormat().resolvedOptions().timeZone) || 'UTC';
    if (!$('notice-zone').value) $('notice-zone').value = zone;
    let zones = [];
    try { zones = Intl.supportedValuesOf('timeZone'); } catch (error) { zones = [zone]; }
    $('notice-zones').replaceChildren(...zones.map((name) => { const option = document.createElement('option'); option.value = name; return option; }));
    const today = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    $('notice-date').min = today.getFullYear() + '-' + pad(today.getMonth() + 1) + '-' + pad(today.getDate());
  }

  function toggles() {
    const countries = () => { $('notice-countries').disabled = $('notice-all-countries').checked; };
    const languages = () => { for (const box of document.querySelectorAll('input[name="language"]')) box.disabled = $('notice-all-languages').checked; };
    $('notice-all-countries').addEventListener('change', countries);
    $('notice-all-languages').addEventListener('change', languages);
    countries();
    languages();
  }

  function clearProblems() {
    for (const node of document.querySelectorAll('#notice-form .error')) node.textContent = '';
    for (const node of document.querySelectorAll('#notice-form [aria-invalid]')) node.removeAttribute('aria-invalid');
  }

  /** Each problem beside its field; the first field with one gets the focus. */
  function showProblems(fields) {
    let first = null;
    for (const [name, message] of Object.entries(fields || {})) {
      const id = name.startsWith('titles.') ? 'notice-title-' + name.slice(7) : FIELD_IDS[name];
      if (!id) continue;
      const error = $(id + '-error');
      if (error) error.textContent = message;
      const input = $(id) || (name === 'languages' ? document.querySelector('input[name="language"]') : name === 'audience' ? document.querySelector('input[name="audience"]') : null);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first = first || input;
      }
      if (name.startsWith('titles.')) document.querySelector('details.translations').open = true;
    }
    if (first) first.focus();
  }

  function collect() {
    const titles = {};
    for (const input of document.querySelectorAll('input.title-translation')) if (input.value.trim()) titles[input.dataset.language] = input.value;
    const languages = [...document.querySelectorAll('input[name="language"]:checked')].map((box) => box.value);
    const countries = $('notice-countries').value.split(/[\s,;]+/).map((code) => code.trim()).filter(Boolean);
    const audience = document.querySelector('input[name="audience"]:checked');
    return {
      title: $('notice-title').value,
      titles,
      date: $('notice-date').value,
      time: $('notice-time').value,
      timeZone: $('notice-zone').value,
      link: $('notice-link').value,
      countries: $('notice-all-countries').checked ? 'all' : countries,
      languages: $('notice-all-languages').checked ? 'all' : languages,
      audience: audience ? audience.value : '',
    };
  }

  async function announce(event) {
    event.preventDefault();
    clearProblems();
    $('notice-problem').textContent = '';
    $('notice-status').textContent = 'Announcing…';
    $('notice-announce').disabled = true;
    try {
      const { status, data } = await api('POST', '/advisor/api/notices', collect());
      if (status === 201) {
        $('notice-status').textContent = 'Announced: ' + data.notice.title + '. It is being sent now.';
        for (const id of ['notice-title', 'notice-link']) $(id).value = '';
        for (const input of document.querySelectorAll('input.title-translation')) input.value = '';
        await refresh(false);
        return;
      }
      $('notice-status').textContent = '';
      if (data.fields) showProblems(data.fields);
      $('notice-problem').textContent = status === 401 ? 'Your session has ended. Sign in again on the console.' : (data.error || 'The notice could not be announced (' + status + ').');
    } catch (error) {
      $('notice-status').textContent = '';
      $('notice-problem').textContent = 'The console cannot reach Lotse. Please try again.';
    } finally {
      $('notice-announce').disabled = false;
    }
  }

  function counts(label, progress) {
    const parts = [progress.status];
    if (progress.matched || progress.status === 'done' || progress.status === 'sending') {
      parts.push(progress.matched + ' matched', progress.sent + ' sent', progress.failed + ' failed', progress.skipped + ' skipped');
      if (progress.uncertain) parts.push(progress.uncertain + ' interrupted');
    }
    return el('p', 'counts', label + ': ' + parts.join(' · '));
  }

  function item(notice, upcoming) {
    const li = el('li', 'notice');
    li.dataset.noticeId = notice.id;
    li.append(el('h3', '', notice.title));
    li.append(el('p', '', notice.when));
    const link = el('p', 'link');
    link.textContent = notice.link;
    li.append(link);
    const countries = notice.countries === 'all' ? 'all countries' : notice.countries.join(', ');
    const languages = notice.languages === 'all' ? 'all languages' : notice.languages.join(', ');
    const audience = notice.audience === 'both' ? 'prospective migrants and returnees' : notice.audience === 'prospective' ? 'prospective migrants' : 'returnees';
    li.append(el('p', 'muted', countries + ' · ' + languages + ' · ' + audience + ' · by ' + notice.createdBy));
    if (notice.status === 'cancelled') li.append(el('p', 'cancelled', 'Cancelled'));
    li.append(counts('Announcement', notice.announce));
    li.append(notice.reminderAt || notice.reminder.status !== 'none' ? counts('Reminder', notice.reminder) : el('p', 'counts', 'Reminder: none (announced less than the reminder’s lead ahead)'));
    if (notice.cancellation && notice.cancellation.status !== 'none') li.append(counts('Cancellation message', notice.cancellation));
    if (upcoming && notice.status === 'scheduled') {
      const cancel = el('button', 'cancel', 'Cancel this notice');
      cancel.type = 'button';
      cancel.addEventListener('click', async () => {
        cancel.disabled = true;
        const { status, data } = await api('POST', '/advisor/api/notices/' + encodeURIComponent(notice.id) + '/cancel', {}).catch(() => ({ status: 0, data: {} }));
        if (status !== 200) {
          cancel.disabled = false;
          $('notice-problem').textContent = data.error || 'The notice could not be cancelled.';
          return;
        }
        $('notice-status').textContent = 'Cancelled: ' + notice.title + '. Everyone it reached is being told that it will not take place.';
        await refresh(false);
      });
      li.append(cancel);
    }
    return li;
  }

  function show(list, empty, notices, upcoming) {
    list.replaceChildren(...notices.map((notice) => item(notice, upcoming)));
    empty.hidden = notices.length > 0;
  }

  async function refresh(auto) {
    try {
      const { status, data } = await api('GET', '/advisor/api/notices', undefined, auto);
      if (status !== 200) {
        $('notice-problem').textContent = status === 401 ? 'Your session has ended. Sign in again on the console.' : (data.error || 'The notices could not be read.');
        return status !== 401 && status !== 403;
      }
      csrf = data.csrfToken;
      show($('notices-upcoming'), $('notices-upcoming-empty'), data.upcoming, true);
      show($('notices-past'), $('notices-past-empty'), data.past, false);
    } catch (error) {
      $('notice-problem').textContent = 'The console cannot reach Lotse. Trying again…';
    }
    return true;
  }

  fillZones();
  toggles();
  $('notice-form').addEventListener('submit', announce);
  refresh(false).then((again) => {
    if (!again) return;
    const timer = setInterval(async () => { if (!(await refresh(true))) clearInterval(timer); }, 10000);
  });
})();
`;
