/**
 * The web chat page: one self-contained, accessible, mobile-first HTML document (no external
 * resources). Replies arrive over server-sent events; each is laid out in its own direction
 * (right to left for Arabic and Urdu) and language. The page never holds the session id: the
 * server keeps it in an HttpOnly cookie, so no URL, script or log line carries it.
 */
export const CHAT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lotse – migration advice chat</title>
<style>
  :root { --fg: #1b1f23; --bg: #f6f7f9; --me: #dbeafe; --bot: #ffffff; --accent: #0b5cad; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", sans-serif; }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--fg); display: flex; flex-direction: column; height: 100dvh; }
  header { background: var(--accent); color: #fff; padding: .75rem 1rem; }
  header h1 { margin: 0; font-size: 1.15rem; }
  header p { margin: .15rem 0 0; font-size: .85rem; opacity: .9; }
  #log { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .6rem; }
  .msg { max-width: min(38rem, 92%); padding: .6rem .8rem; border-radius: .8rem; white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.45; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .me { align-self: flex-end; background: var(--me); }
  .bot { align-self: flex-start; background: var(--bot); }
  .msg a { color: var(--accent); }
  .choices { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
  .choices button { min-height: 2.75rem; padding: .4rem 1rem; border-radius: 1.4rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); font: inherit; cursor: pointer; }
  .status { align-self: center; font-size: .85rem; color: #555; }
  form { display: flex; gap: .5rem; padding: .75rem; background: #fff; border-top: 1px solid #ddd; }
  textarea { flex: 1; min-height: 2.75rem; max-height: 8rem; padding: .6rem; font: inherit; border: 1px solid #999; border-radius: .6rem; resize: vertical; }
  form button { min-width: 5rem; min-height: 2.75rem; border: 0; border-radius: .6rem; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
  :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style>
</head>
<body>
<header>
  <h1>Lotse</h1>
  <p>Information on working, training and living in Germany, and support after return – with sources. Ask in your language.</p>
</header>
<main id="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation"></main>
<form id="form" autocomplete="off">
  <label class="sr-only" for="text">Your message</label>
  <textarea id="text" name="text" rows="1" placeholder="Type your question…" required></textarea>
  <button type="submit" id="send">Send</button>
</form>
<script>
(() => {
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  const randomId = () => (crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));
  const seen = new Set();
  let typing = null;
  let connection = null;
  let events = null;
  let retryMs = 2000;
  // The session lives in an HttpOnly cookie the page never sees; this only waits until it is set.
  let session = null;

  function addText(element, text) {
    const url = /https?:\\/\\/[^\\s<>"]+/g;
    let last = 0, match;
    while ((match = url.exec(text))) {
      element.append(text.slice(last, match.index));
      const a = document.createElement('a');
      a.href = match[0]; a.textContent = match[0]; a.target = '_blank'; a.rel = 'noopener noreferrer';
      element.append(a);
      last = match.index + match[0].length;
    }
    element.append(text.slice(last));
  }

  function show(kind, text, options = {}) {
    const div = document.createElement('div');
    div.className = 'msg ' + kind;
    if (options.direction) div.dir = options.direction;
    if (options.language) div.lang = options.language;
    addText(div, text);
    if (options.buttons && options.buttons.length) {
      const row = document.createElement('div');
      row.className = 'choices';
      for (const b of options.buttons) {
        const button = document.createElement('button');
        button.type = 'button'; button.textContent = b.label;
        button.addEventListener('click', () => { row.remove(); send(b.label, b.action); });
        row.append(button);
      }
      div.append(row);
    }
    log.append(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function status(text) {
    const div = document.createElement('div');
    div.className = 'status'; div.setAttribute('role', 'status'); div.textContent = text;
    log.append(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  async function reasonOf(response) {
    const body = await response.json().catch(() => ({}));
    return body.error || 'Lotse could not take it (' + response.status + '). Please try again.';
  }

  function ensureSession() {
    session = session || fetch('/chat/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin' })
      .then(async (response) => { if (!response.ok) throw new Error(await reasonOf(response)); })
      .catch((error) => { session = null; throw error; });
    return session;
  }

  async function send(text, action) {
    show('me', text, { direction: 'auto' });
    const body = JSON.stringify({ id: randomId(), text: action ? '' : text, action, lang: navigator.language || undefined });
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
      if (!response.ok) throw new Error(await reasonOf(response));
      if (!typing) typing = status('…');
    } catch (error) {
      status('Not sent. ' + (error instanceof TypeError ? 'Lotse cannot be reached; please check your connection and try again.' : error.message));
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

  function connect() {
    if (events) events.close();
    const source = new EventSource('/chat/events');
    events = source;
    source.addEventListener('open', connected);
    source.addEventListener('reply', (event) => {
      const reply = JSON.parse(event.data);
      if (seen.has(reply.id)) return;
      seen.add(reply.id);
      if (typing) { typing.remove(); typing = null; }
      show('bot', reply.text, reply);
      document.documentElement.lang = reply.language;
    });
    source.addEventListener('typing', () => { if (!typing) typing = status('…'); });
    source.addEventListener('error', () => { if (source === events && source.readyState === EventSource.CLOSED) refused(); });
  }

  // The browser gives up on a refused stream without saying why: ask once, say it, try again later.
  async function refused() {
    let text = 'Connection lost. Trying again…';
    const probe = new AbortController();
    try {
      const response = await fetch('/chat/events', { signal: probe.signal, credentials: 'same-origin' });
      if (response.status === 401) { session = null; await ensureSession(); text = ''; }
      else if (!response.ok) text = await reasonOf(response);
    } catch (error) {
      if (!(error instanceof TypeError) && error.name !== 'AbortError') text = error.message;
    } finally {
      probe.abort();
    }
    if (text) {
      if (!connection) connection = status(text);
      else connection.textContent = text;
    }
    setTimeout(connect, text ? retryMs : 0);
    retryMs = Math.min(retryMs * 2, 30000);
  }

  function begin() {
    ensureSession().then(connect, (error) => {
      const text = error instanceof TypeError ? 'Lotse cannot be reached. Trying again…' : error.message;
      if (!connection) connection = status(text);
      else connection.textContent = text;
      setTimeout(begin, 10000);
    });
  }

  begin();
  input.focus();
})();
</script>
</body>
</html>
`;
