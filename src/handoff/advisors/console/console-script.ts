/**
 * The console page's script, served at /advisor/console.js (the CSP allows no inline script).
 * It holds the CSRF token in memory only and sends it in a header on every change; the session
 * id stays in an HttpOnly cookie it never sees. Text from users and advisors is only ever set as
 * textContent, never as HTML. Live updates come over server-sent events (ids only); the page then
 * re-reads what changed through the API, which checks the advisor's pools every time.
 */
export const CONSOLE_SCRIPT = String.raw`(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const randomId = () => (crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));

  let me = null;          // the signed-in advisor, csrf token, pools, outcomes
  let cases = [];         // the queue as last read
  let open = null;        // the open case
  let lastEventId = null; // the last event of the open case shown
  let windowNotice = null; // the open case's latest channel notice, until the user writes again
  let events = null;      // the EventSource
  let retryMs = 3000;
  let listTimer = null;
  let refreshing = null;

  function say(text) { $('status').textContent = text; }

  async function api(method, path, body, options) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && me) headers['x-csrf-token'] = me.csrfToken;
    if (options && options.auto) headers['x-console-auto'] = '1';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
    } catch (error) {
      return { ok: false, status: 0, body: { error: 'The console cannot reach Lotse. Please check the connection.' } };
    }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (response.status === 401 && path !== '/advisor/api/sign-in' && me) signedOut(data.error || 'Your session has ended. Please sign in again.');
    return { ok: response.ok, status: response.status, body: data };
  }

  // --- signing in and out ---

  function showSignIn(message) {
    $('console-view').hidden = true;
    $('who').hidden = true;
    $('sign-in-view').hidden = false;
    $('sign-in-error').textContent = message || '';
    $('sign-in-name').focus();
  }

  function signedOut(message) {
    me = null; open = null; cases = [];
    if (events) { events.close(); events = null; }
    clearInterval(listTimer);
    document.body.classList.remove('case-open');
    $('case-list').replaceChildren();
    $('history').replaceChildren();
    $('case').hidden = true;
    showSignIn(message);
  }

  async function signedIn(who) {
    me = who;
    $('sign-in-view').hidden = true;
    $('console-view').hidden = false;
    $('who').hidden = false;
    $('who-name').textContent = who.advisor.displayName + (who.advisor.role === 'advisor' ? '' : ' (' + who.advisor.role + ')');
    $('page-links').replaceChildren(...(who.links || []).map((link) => { const a = el('a', '', link.label); a.href = link.href; return a; }));
    $('whatsapp-link').hidden = !who.whatsappLink;
    $('queue-pools').textContent = who.advisor.pools.length > 0 ? 'Your pools: ' + who.advisor.pools.map((p) => p.name).join(', ') : 'You are in no advisor pool: the pages above are yours.';
    const outcome = $('resolve-outcome');
    outcome.replaceChildren(...who.outcomes.map((value) => { const o = el('option', '', value.replace('_', ' ')); o.value = value; return o; }));
    await refreshList(false);
    connect();
    clearInterval(listTimer);
    // Waiting times move on, and a missed notice is caught up, without counting as activity.
    listTimer = setInterval(() => refreshList(true), 30000);
  }

  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('sign-in-name').value.trim();
    const password = $('sign-in-password').value;
    if (!name || !password) { $('sign-in-error').textContent = 'Give your name and your password.'; return; }
    const answer = await api('POST', '/advisor/api/sign-in', { name, password });
    $('sign-in-password').value = '';
    if (!answer.ok) { $('sign-in-error').textContent = answer.body.error || 'Sign-in failed.'; $('sign-in-password').focus(); return; }
    $('sign-in-error').textContent = '';
    say('Signed in.');
    await signedIn(answer.body);
    $('queue-title').focus();
  });

  $('sign-out').addEventListener('click', async () => {
    await api('POST', '/advisor/api/sign-out', {});
    signedOut('');
    say('Signed out.');
  });

  // --- the queue ---

  const waited = (since) => {
    const minutes = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 60000));
    if (minutes < 60) return minutes + ' min';
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? hours + ' h ' + (minutes % 60) + ' min' : Math.floor(hours / 24) + ' days';
  };

  /** "safety: medical emergency" for a safety case whose kind of danger is known. */
  function reasonText(c) {
    const reason = c.reason.replace('_', ' ');
    return c.danger ? reason + ': ' + c.danger.replace(/_/g, ' ') : reason;
  }

  function caseLine(c) {
    return [c.priority.toUpperCase(), c.language, c.country || 'country unknown', reasonText(c)].join(' · ');
  }

  function holderText(c) {
    if (c.status !== 'claimed') return c.status;
    return c.claimedBy && me && c.claimedBy.id === me.advisor.name ? 'claimed by you' : 'claimed by ' + (c.claimedBy ? c.claimedBy.name : 'someone');
  }

  function renderList() {
    const list = $('case-list');
    const focusedId = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.caseId : undefined;
    list.replaceChildren(...cases.map((c) => {
      const item = el('li');
      const button = el('button', 'case-open');
      button.type = 'button';
      button.dataset.caseId = c.id;
      const line1 = el('span', 'line1 priority-' + c.priority, caseLine(c));
      const line2 = el('span', 'line2', holderText(c) + ' · waiting ' + waited(c.createdAt) + ' · ' + poolName(c.pool));
      button.append(line1, line2);
      if (open && open.id === c.id) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => openCase(c.id, true));
      item.append(button);
      return item;
    }));
    $('queue-empty').hidden = cases.length > 0;
    // A refresh must not take the keyboard focus away from the case the advisor was on.
    if (focusedId) { const again = list.querySelector('[data-case-id="' + CSS.escape(focusedId) + '"]'); if (again) again.focus(); }
  }

  function poolName(id) {
    const pool = me && me.pools.find((p) => p.id === id);
    return pool ? pool.name : id;
  }

  async function refreshList(auto) {
    if (!me) return;
    const answer = await api('GET', '/advisor/api/cases', undefined, { auto });
    if (!answer.ok) { if (answer.status !== 401) say(answer.body.error || 'The queue could not be read.'); return; }
    cases = answer.body.cases;
    renderList();
  }

  // Many notices at once (a busy pool) make one read, not many.
  function refreshSoon() {
    if (refreshing) return;
    refreshing = setTimeout(() => { refreshing = null; refreshList(true); }, 250);
  }

  // --- the open case ---

  function fact(list, term, value) {
    if (value === undefined || value === null || value === '') return;
    list.append(el('dt', '', term), el('dd', '', String(value)));
  }

  function renderCase() {
    const c = open;
    $('case-title').textContent = 'Case: ' + caseLine(c);
    const facts = $('case-facts');
    facts.replaceChildren();
    fact(facts, 'Status', holderText(c));
    fact(facts, 'Priority', c.priority);
    fact(facts, 'Reason', reasonText(c));
    fact(facts, 'Language', c.language);
    fact(facts, 'Country', c.country || 'unknown');
    fact(facts, 'Topic', c.topic);
    fact(facts, 'Pool', poolName(c.pool));
    fact(facts, 'Channel', c.channel);
    fact(facts, 'Waiting', waited(c.createdAt));
    if (c.wantsWoman) fact(facts, 'Asked for', 'a woman advisor');
    if (c.outcome) fact(facts, 'Outcome', c.outcome.replace('_', ' '));
    renderWindowNotice(c);
    const brief = $('case-brief');
    brief.replaceChildren();
    brief.append(el('p', '', c.brief));
    if (c.details) {
      const d = c.details;
      if (d.asked && d.asked.length) { const asked = el('ul'); for (const q of d.asked) { const li = el('li', '', q); li.dir = 'auto'; li.lang = c.language; asked.append(li); } brief.append(el('strong', '', 'Asked'), asked); }
      if (d.open) brief.append(el('p', '', 'Still open: ' + d.open));
      for (const [key, value] of Object.entries(d.facts || {})) brief.append(el('p', '', key + ': ' + value));
      if (d.summary) brief.append(el('p', '', 'Summary: ' + d.summary));
    }
    const mine = c.status === 'claimed' && c.claimedBy && c.claimedBy.id === me.advisor.name;
    const active = c.status === 'open' || c.status === 'claimed';
    $('claim').hidden = c.status !== 'open';
    $('release').hidden = !mine;
    $('transfer-form').hidden = !(c.status === 'open' || mine);
    $('resolve-form').hidden = !(c.status === 'open' || mine);
    $('case-actions').hidden = !active;
    // Transfer means to another pool: the case's own is not offered.
    const transfer = $('transfer-pool');
    transfer.replaceChildren(...me.pools.filter((p) => p.id !== c.pool).map((p) => { const o = el('option', '', p.name); o.value = p.id; return o; }));
    if (transfer.options.length === 0) $('transfer-form').hidden = true;
    $('reply-form').hidden = !mine;
    $('passage-form').hidden = !mine;
    $('handover-form').hidden = true;
    if (mine) {
      // Colleagues of the case's pool who could take it over, with its history.
      api('GET', '/advisor/api/cases/' + encodeURIComponent(c.id) + '/colleagues', undefined, { auto: true }).then((answer) => {
        if (!answer.ok || !open || open.id !== c.id || answer.body.colleagues.length === 0) return;
        $('handover-to').replaceChildren(...answer.body.colleagues.map((a) => { const o = el('option', '', a.displayName); o.value = a.name; return o; }));
        $('handover-form').hidden = false;
      });
    }
  }

  const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  /** What the user's channel limits (WhatsApp's 24-hour window), as the history records it. */
  function noticeText(notice) {
    if (notice.kind === 'window_closing') return 'WhatsApp: the 24-hour window for free replies closes at ' + clock(notice.closesAt) + ' — reply before then; afterwards only an approved template reaches the user.';
    if (notice.kind === 'window_closed') return 'WhatsApp: the 24-hour window has closed. Your replies wait until the user writes again; ' + (notice.template ? 'the user was sent the approved template.' : 'no template is configured, so the user was not told.');
    return 'The user’s channel: ' + notice.kind.replace(/_/g, ' ');
  }

  /** The banner over an active case while its window is closing or closed (a warning whose time has passed says so). */
  function renderWindowNotice(c) {
    const banner = $('channel-notice');
    const active = c.status === 'open' || c.status === 'claimed';
    if (!windowNotice || !active) { banner.hidden = true; return; }
    const passed = windowNotice.kind === 'window_closing' && Date.parse(windowNotice.closesAt) <= Date.now();
    banner.textContent = passed ? 'WhatsApp: the 24-hour window closed at ' + clock(windowNotice.closesAt) + '. Only an approved template reaches the user until they write again.' : noticeText(windowNotice);
    banner.classList.toggle('closed', passed || windowNotice.kind === 'window_closed');
    banner.hidden = false;
  }

  function eventItem(e) {
    const item = el('li', 'event');
    const at = new Date(e.at);
    const when = el('time', '', at.toLocaleString());
    when.dateTime = e.at;
    const who = (label) => { const span = el('span', 'who', label + ' · '); span.append(when); return span; };
    const body = (text) => { const div = el('div', 'body', text); div.dir = 'auto'; return div; };
    // The other side's language beside the original (the handoff translates when an LLM is configured).
    const translation = (text, label) => { const div = el('div', 'translation'); div.append(el('span', 'who', label || 'Translation: '), body(text)); return div; };
    switch (e.type) {
      case 'user_message': {
        item.classList.add('user');
        const text = body(e.text || (e.media ? '[' + e.media.kind + ']' : ''));
        text.lang = open.language;
        item.append(who('User'), text);
        if (e.media && e.media.ref) {
          const link = document.createElement('a');
          link.href = '/advisor/api/cases/' + encodeURIComponent(open.id) + '/media/' + encodeURIComponent(e.id);
          link.textContent = 'Download the ' + e.media.kind + ' the user sent';
          link.setAttribute('download', '');
          item.append(link);
        }
        if (e.translation) item.append(translation(e.translation));
        break;
      }
      case 'bot_answer': item.classList.add('bot'); item.append(who('Lotse'), body(e.text)); break;
      case 'channel_notice': item.classList.add('system'); item.append(el('span', '', noticeText(e.notice) + ' · '), when); break;
      case 'advisor_message': {
        item.classList.add('advisor');
        item.append(who(e.advisor.name), body(e.text));
        if (e.translation) { const sent = translation(e.translation, 'Sent as: '); sent.lastChild.lang = open.language; item.append(sent); }
        break;
      }
      default: {
        item.classList.add('system');
        const text = {
          opened: 'Case opened',
          claimed: 'Claimed by ' + (e.advisor && e.advisor.name),
          released: 'Released by ' + (e.advisor && e.advisor.name),
          transferred: 'Transferred to ' + poolName(e.toPool) + ' by ' + (e.advisor && e.advisor.name),
          handed_over: 'Handed over to ' + (e.to && e.to.name) + ' by ' + (e.advisor && e.advisor.name),
          resolved: 'Resolved by ' + (e.advisor && e.advisor.name) + (e.outcome ? ' (' + e.outcome.replace('_', ' ') + ')' : ''),
          cancelled: 'Cancelled: the user left or waited too long',
          sla_reminder: 'Reminder: waiting longer than the pool’s target',
          raised: 'Raised to urgent: the user wrote about danger' + (e.danger ? ' (' + e.danger.replace(/_/g, ' ') + ')' : ''),
        }[e.type] || e.type;
        item.append(el('span', '', text + ' · '), when);
      }
    }
    return item;
  }

  function appendEvents(list) {
    const history = $('history');
    for (const e of list) {
      if (lastEventId && e.id === lastEventId) continue;
      history.append(eventItem(e));
      lastEventId = e.id;
      // Every message of the user opens a new 24-hour window: an older notice no longer holds.
      if (e.type === 'channel_notice') windowNotice = e.notice;
      else if (e.type === 'user_message') windowNotice = null;
    }
  }

  async function openCase(id, byPerson) {
    const answer = await api('GET', '/advisor/api/cases/' + encodeURIComponent(id), undefined, { auto: !byPerson });
    if (!answer.ok) {
      say(answer.body.error || 'The case could not be read.');
      if (answer.status === 403 || answer.status === 404) { closeCase(); refreshList(true); }
      return;
    }
    open = answer.body.case;
    lastEventId = null;
    windowNotice = null;
    const history = $('history');
    // The whole history at once is not "new": the log region announces only what arrives later.
    history.setAttribute('aria-busy', 'true');
    history.replaceChildren();
    appendEvents(answer.body.events);
    history.setAttribute('aria-busy', 'false');
    $('case').hidden = false;
    document.body.classList.add('case-open');
    renderCase();
    renderList();
    if (byPerson) $('case-title').focus();
  }

  async function refreshCase() {
    if (!open) return;
    const path = '/advisor/api/cases/' + encodeURIComponent(open.id) + '/events' + (lastEventId ? '?after=' + encodeURIComponent(lastEventId) : '');
    const answer = await api('GET', path, undefined, { auto: true });
    if (!answer.ok) {
      if (answer.status === 403 || answer.status === 404) { say('The case has left your pools.'); closeCase(); }
      return;
    }
    open = answer.body.case;
    appendEvents(answer.body.events);
    renderCase();
  }

  function closeCase() {
    const id = open && open.id;
    open = null;
    lastEventId = null;
    windowNotice = null;
    $('case').hidden = true;
    $('history').replaceChildren();
    document.body.classList.remove('case-open');
    renderList();
    const button = id && $('case-list').querySelector('[data-case-id="' + CSS.escape(id) + '"]');
    if (button) button.focus(); else $('queue-title').focus();
  }

  $('back').addEventListener('click', closeCase);

  async function act(name, body, done) {
    if (!open) return;
    const answer = await api('POST', '/advisor/api/cases/' + encodeURIComponent(open.id) + '/' + name, body);
    if (!answer.ok) { say(answer.body.error || 'That did not work.'); await refreshCase(); return false; }
    open = answer.body.case;
    say(done);
    // Transferred to a pool the advisor is not in: the case is no longer theirs to see.
    if (!me.advisor.pools.some((p) => p.id === open.pool)) { closeCase(); refreshList(true); return true; }
    await refreshCase();
    refreshList(true);
    return true;
  }

  $('claim').addEventListener('click', async () => { if (await act('claim', {}, 'You have claimed the case.')) $('reply-text').focus(); });
  $('release').addEventListener('click', () => act('release', {}, 'You have released the case; it is open again.'));
  $('transfer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const toPool = $('transfer-pool').value;
    await act('transfer', { toPool }, 'The case was transferred to ' + poolName(toPool) + '.');
  });
  $('handover-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const select = $('handover-to');
    const name = select.options[select.selectedIndex] ? select.options[select.selectedIndex].textContent : '';
    await act('hand-over', { to: select.value }, 'The case was handed over to ' + name + '.');
  });
  $('resolve-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act('resolve', { outcome: $('resolve-outcome').value }, 'The case is resolved; the user is back with Lotse.');
  });
  $('reply-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('reply-text');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    if (!(await act('reply', { text, messageId: randomId() }, 'Reply sent.'))) input.value = text;
    input.focus();
  });
  $('passage-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = $('passage-query').value.trim();
    const list = $('passage-results');
    list.textContent = '';
    if (!q) return;
    const lang = open ? open.language : '';
    const result = await api('GET', '/advisor/api/passages?q=' + encodeURIComponent(q) + (lang ? '&lang=' + encodeURIComponent(lang) : ''));
    if (!result.ok) { say(result.body.error || 'The search did not work.'); return; }
    if (result.body.passages.length === 0) { say('Nothing found for that.'); return; }
    for (const hit of result.body.passages) {
      const item = document.createElement('li');
      const text = document.createElement('p');
      text.textContent = hit.text.length > 300 ? hit.text.slice(0, 300) + '…' : hit.text;
      const source = document.createElement('p');
      source.className = 'meta';
      source.textContent = hit.title + ' (as of ' + hit.asOf + ')';
      const insert = document.createElement('button');
      insert.type = 'button';
      insert.textContent = 'Insert into reply';
      insert.addEventListener('click', () => {
        const input = $('reply-text');
        input.value = (input.value.trim() ? input.value.trim() + '\n\n' : '') + hit.cited;
        input.focus();
      });
      item.append(text, source, insert);
      list.append(item);
    }
  });
  $('reply-text').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); $('reply-form').requestSubmit(); }
  });

  // --- live updates ---

  function connect() {
    if (events) events.close();
    const source = new EventSource('/advisor/api/updates');
    events = source;
    source.addEventListener('ready', () => { retryMs = 3000; refreshSoon(); if (open) refreshCase(); });
    source.addEventListener('case', (event) => {
      const notice = JSON.parse(event.data);
      refreshSoon();
      if (open && notice.caseId === open.id) refreshCase();
    });
    source.addEventListener('elsewhere', (event) => {
      const notice = JSON.parse(event.data);
      if (cases.some((c) => c.id === notice.caseId)) refreshSoon();
      if (open && notice.caseId === open.id) refreshCase();
    });
    source.addEventListener('signed-out', () => signedOut('Your session has ended. Please sign in again.'));
    source.addEventListener('error', () => { if (source === events && source.readyState === EventSource.CLOSED) reconnectLater(); });
  }

  // The browser gives up on a refused stream: find out whether the session ended, else try again later.
  async function reconnectLater() {
    const answer = await api('GET', '/advisor/api/session', undefined, { auto: true });
    if (!me) return;
    if (answer.status === 401) return;
    setTimeout(() => { if (me) connect(); }, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  }

  async function begin() {
    const answer = await api('GET', '/advisor/api/session', undefined, { auto: true });
    if (answer.ok) await signedIn(answer.body);
    else if (answer.status === 401) showSignIn('');
    else { say(answer.body.error || 'Lotse cannot be reached. Trying again…'); setTimeout(begin, 10000); }
  }

  begin();
})();
`;
