/**
 * The web chat page's script (plain browser JavaScript, no template literals inside). It reads the
 * page's words in all languages from the JSON block #lotse-words, shows replies from their `html`
 * (rendered on the server, see render.ts) and draws their sources lists, keeps the person's own
 * messages in sessionStorage (never on the server) to redraw them after a reload, and offers only
 * the latest reply's buttons.
 */
export const CHAT_SCRIPT = String.raw`
(() => {
  const WORDS = JSON.parse(document.getElementById('lotse-words').textContent);
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  const sendButton = document.getElementById('send');
  const randomId = () => (crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));
  const seen = new Set();
  let typing = null;
  let connection = null;
  let events = null;
  let retryMs = 2000;
  let greeting = null;
  // The session lives in an HttpOnly cookie the page never sees; this only waits until it is set.
  let session = null;

  // ---- The page's language: the browser's first supported one, then the latest reply's.
  function firstSupported() {
    const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (const tag of wanted) {
      const primary = String(tag).toLowerCase().split(/[-_]/)[0];
      if (WORDS.labels[primary]) return primary;
    }
    return 'en';
  }
  let language = firstSupported();
  function word(key, values) {
    const own = WORDS.labels[language] && WORDS.labels[language][key];
    const text = own !== undefined ? own : WORDS.labels.en[key];
    if (Array.isArray(text)) return text;
    return String(text === undefined ? key : text).replace(/\{\{(\w+)\}\}/g, (whole, name) => (values && name in values ? String(values[name]) : whole));
  }
  function useLanguage(next) {
    if (!WORDS.labels[next]) return;
    language = next;
    const root = document.documentElement;
    root.lang = language;
    root.dir = WORDS.rtl.includes(language) ? 'rtl' : 'ltr';
    document.title = word('title');
    document.getElementById('tagline').textContent = word('tagline');
    document.getElementById('text-label').textContent = word('yourMessage');
    log.setAttribute('aria-label', word('conversation'));
    input.placeholder = word('placeholder');
    sendButton.textContent = word('send');
    if (typing) typing.setAttribute('aria-label', word('typing'));
    if (greeting) drawGreeting();
  }

  // ---- The person's own messages: kept in this tab (sessionStorage) with the outbox entry they
  // followed ("after") or, for those written before any reply, the entry they came before ("before").
  const STORE = 'lotse-chat-mine';
  const KEEP = 200;
  const drawn = new Set();
  let lastEntry = null;
  function loadMine() {
    try {
      const list = JSON.parse(sessionStorage.getItem(STORE) || '[]');
      return Array.isArray(list) ? list.filter((m) => m && typeof m.id === 'string' && typeof m.text === 'string') : [];
    } catch (error) {
      return [];
    }
  }
  let mine = loadMine();
  function saveMine() {
    mine = mine.slice(-KEEP);
    try {
      if (mine.length) sessionStorage.setItem(STORE, JSON.stringify(mine));
      else sessionStorage.removeItem(STORE);
    } catch (error) {
      // Storage full or switched off: the conversation still works, a reload just shows less.
    }
  }
  const entryOrder = (id) => String(id).split('-').map(Number);
  function before(a, b) {
    const [am, as] = entryOrder(a);
    const [bm, bs] = entryOrder(b);
    return am < bm || (am === bm && as < bs);
  }
  // A new outbox (after "delete") starts at entry id: what was kept of the old one goes.
  function startOver(id) {
    mine = mine.filter((m) => {
      const anchor = m.after || m.before;
      return !anchor || !before(anchor, id);
    });
    saveMine();
  }
  function drawMine(which) {
    for (const m of mine) {
      if (drawn.has(m.id) || !which(m)) continue;
      drawn.add(m.id);
      show('me', m.text);
      closeChoices();
    }
  }

  // ---- Drawing
  function link(url, text) {
    const a = document.createElement('a');
    a.href = url; a.textContent = text; a.target = '_blank'; a.rel = 'noopener noreferrer';
    return a;
  }
  function addText(element, text) {
    const url = /https?:\/\/[^\s<>"]+/g;
    let last = 0, match;
    while ((match = url.exec(text))) {
      element.append(text.slice(last, match.index), link(match[0], match[0]));
      last = match.index + match[0].length;
    }
    element.append(text.slice(last));
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function show(kind, text) {
    const div = document.createElement('div');
    div.className = 'msg ' + kind;
    div.dir = 'auto';
    addText(div, text);
    log.append(div);
    scrollDown();
    return div;
  }

  function sourcesOf(reply) {
    const labels = reply.sourceLabels || {};
    const box = document.createElement('div');
    box.className = 'sources';
    const heading = document.createElement('p');
    heading.className = 'sources-heading';
    heading.textContent = labels.heading || 'Sources';
    const list = document.createElement('ol');
    for (const source of reply.sources) {
      if (!source || typeof source !== 'object') continue;
      const item = document.createElement('li');
      const title = String(source.title || source.url || '');
      const name = /^https?:\/\//i.test(String(source.url || '')) ? link(source.url, title) : document.createElement('span');
      if (name.tagName === 'SPAN') name.textContent = title;
      name.dir = 'auto';
      item.append(name);
      if (source.asOf) {
        const date = document.createElement('bdi');
        date.dir = 'ltr';
        date.textContent = String(source.asOf);
        // The label goes before the date; a label with a {{date}} slot ("{{date}} تک") places it itself.
        const asOf = String(labels.asOf || 'as of {{date}}');
        const slot = asOf.indexOf('{{date}}');
        item.append(reply.direction === 'rtl' ? '، ' : ', ');
        if (slot < 0) item.append(asOf + ' ', date);
        else item.append(asOf.slice(0, slot), date, asOf.slice(slot + 8));
      }
      list.append(item);
    }
    box.append(heading, list);
    return box;
  }

  // Only the latest reply offers its buttons: the earlier ones' go, unless pressed (then they stay, disabled).
  function dropOldChoices() {
    for (const row of log.querySelectorAll('.msg.bot .choices:not(.pressed)')) row.remove();
  }
  // Once the person has answered (typed, or pressed a button), the buttons before cannot be pressed again.
  function closeChoices() {
    for (const button of log.querySelectorAll('.msg.bot .choices button')) button.disabled = true;
  }

  function showReply(reply) {
    dropOldChoices();
    const div = document.createElement('div');
    div.className = 'msg bot';
    div.dir = reply.direction === 'rtl' ? 'rtl' : 'ltr';
    if (reply.language) div.lang = reply.language;
    const body = document.createElement('div');
    body.className = 'body';
    // The server rendered it from Markdown with raw HTML off (render.ts); older entries have text only.
    if (typeof reply.html === 'string') body.innerHTML = reply.html;
    else addText(body, String(reply.text || ''));
    div.append(body);
    if (Array.isArray(reply.sources) && reply.sources.length) div.append(sourcesOf(reply));
    if (Array.isArray(reply.buttons) && reply.buttons.length) {
      const row = document.createElement('div');
      row.className = 'choices';
      for (const b of reply.buttons) {
        const button = document.createElement('button');
        button.type = 'button'; button.textContent = b.label;
        button.addEventListener('click', () => {
          row.classList.add('pressed');
          button.setAttribute('aria-pressed', 'true');
          send(b.label, b.action);
          input.focus();
        });
        row.append(button);
      }
      div.append(row);
    }
    log.append(div);
    scrollDown();
  }

  function status(text) {
    const div = document.createElement('div');
    div.className = 'status'; div.setAttribute('role', 'status'); div.textContent = text;
    log.append(div);
    scrollDown();
    return div;
  }
  function showTyping() {
    if (typing) return;
    typing = status('…');
    typing.setAttribute('aria-label', word('typing'));
  }

  function drawGreeting() {
    if (!greeting) {
      greeting = document.createElement('div');
      greeting.className = 'greeting';
      log.prepend(greeting);
    }
    const text = document.createElement('p');
    text.textContent = word('greeting');
    const examples = document.createElement('div');
    examples.className = 'examples';
    for (const question of word('examples')) {
      const button = document.createElement('button');
      button.type = 'button'; button.textContent = question;
      button.addEventListener('click', () => { send(question); input.focus(); });
      examples.append(button);
    }
    greeting.replaceChildren(text, examples);
  }
  function dropGreeting() {
    if (greeting) { greeting.remove(); greeting = null; }
  }

  // ---- Talking to the server
  async function reasonOf(response, route) {
    const body = await response.json().catch(() => ({}));
    const seconds = Math.max(1, Math.ceil(Number(response.headers.get('retry-after')) || 60));
    if (route === 'messages' && response.status === 429) return word('tooFast', { seconds });
    if (route === 'messages' && response.status === 413) return word('tooLong');
    if (route === 'messages' && response.status === 503) return word('unavailable');
    if (route === 'events' && response.status === 429) return body.code === 'windows' ? word('tooManyWindows') : body.code === 'busy' ? word('busy') : word('reconnectedTooOften', { seconds });
    if (route === 'session' && response.status === 429) return word('tooManyChats', { seconds });
    return word('refused', { status: response.status });
  }

  function ensureSession() {
    session = session || fetch('/chat/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin' })
      .then(async (response) => { if (!response.ok) throw new Error(await reasonOf(response, 'session')); })
      .catch((error) => { session = null; throw error; });
    return session;
  }

  async function send(text, action) {
    dropGreeting();
    closeChoices();
    const kept = { id: randomId(), text, after: lastEntry, before: null };
    mine.push(kept);
    saveMine();
    drawn.add(kept.id);
    show('me', text);
    const body = JSON.stringify({ id: kept.id, text: action ? '' : text, action, lang: navigator.language || undefined });
    try {
      let response;
      for (let attempt = 0; attempt < 2; attempt++) {
        await ensureSession();
        response = await fetch('/chat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'same-origin' });
        // The session ended (the cookie expired or was removed): start a new one and try once more.
        if (response.status !== 401) break;
        session = null;
        await ensureSession();
        connect();
      }
      if (!response.ok) throw new Error(await reasonOf(response, 'messages'));
      showTyping();
    } catch (error) {
      // Not sent, so not part of the conversation: not redrawn after a reload.
      mine = mine.filter((m) => m !== kept);
      saveMine();
      status(word('notSent') + ' ' + (error instanceof TypeError ? word('offline') : error.message));
      if (!action) input.value = text;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  function connected() {
    retryMs = 2000;
    if (connection) { connection.remove(); connection = null; }
  }

  function onReply(event) {
    const reply = JSON.parse(event.data);
    const entry = event.lastEventId;
    if (seen.has(reply.id)) return;
    seen.add(reply.id);
    if (typing) { typing.remove(); typing = null; }
    dropGreeting();
    if (reply.first && entry) startOver(entry);
    drawMine((m) => m.before === entry);
    showReply(reply);
    if (entry) {
      lastEntry = entry;
      // Written before any reply had come: they belong before this one.
      let placed = false;
      for (const m of mine) if (!m.after && !m.before) { m.before = entry; placed = true; }
      if (placed) saveMine();
      drawMine((m) => m.after === entry);
    }
    useLanguage(reply.language);
  }

  function connect() {
    if (events) events.close();
    const source = new EventSource('/chat/events');
    events = source;
    source.addEventListener('open', connected);
    source.addEventListener('reply', onReply);
    source.addEventListener('typing', showTyping);
    source.addEventListener('error', () => { if (source === events && source.readyState === EventSource.CLOSED) refused(); });
  }

  function say(text) {
    if (!connection) connection = status(text);
    else connection.textContent = text;
  }

  // The browser gives up on a refused stream without saying why: ask once, say it, try again later.
  async function refused() {
    let text = word('connectionLost');
    const probe = new AbortController();
    try {
      const response = await fetch('/chat/events', { signal: probe.signal, credentials: 'same-origin' });
      if (response.status === 401) { session = null; await ensureSession(); text = ''; }
      else if (!response.ok) text = await reasonOf(response, 'events');
    } catch (error) {
      if (!(error instanceof TypeError) && error.name !== 'AbortError') text = error.message;
    } finally {
      probe.abort();
    }
    if (text) say(text);
    setTimeout(connect, text ? retryMs : 0);
    retryMs = Math.min(retryMs * 2, 30000);
  }

  function begin() {
    ensureSession().then(connect, (error) => {
      say(error instanceof TypeError ? word('unreachable') : error.message);
      setTimeout(begin, 10000);
    });
  }

  useLanguage(language);
  // Before any reply: what the person wrote then, or the greeting if nothing yet.
  drawMine((m) => !m.after && !m.before);
  if (mine.length === 0) drawGreeting();
  begin();
  input.focus();
})();
`;
