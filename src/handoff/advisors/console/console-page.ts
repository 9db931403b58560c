/**
 * The console's one page. It holds no script or style of its own (the CSP allows only
 * /advisor/console.js and /advisor/console.css), no session id (an HttpOnly cookie) and no case
 * data until the API gives it. Landmarks, labels and real buttons; the case history is a log
 * region, so that a screen reader announces new messages; message bodies take their own
 * direction (dir="auto"), so Arabic and Urdu read right to left.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Lotse – advisor console</title>
<link rel="stylesheet" href="/advisor/console.css">
<script src="/advisor/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="bar">
  <h1>Lotse advisors</h1>
  <div id="who" hidden>
    <span id="who-name"></span>
    <span id="page-links"></span>
    <a id="whatsapp-link" href="/advisor/whatsapp" hidden>Link WhatsApp</a>
    <button type="button" id="sign-out">Sign out</button>
  </div>
</header>
<p id="status" class="status" role="status" aria-live="polite"></p>
<main id="main" tabindex="-1">
  <section id="sign-in-view" class="panel sign-in" aria-labelledby="sign-in-title" hidden>
    <h2 id="sign-in-title" tabindex="-1">Sign in</h2>
    <form id="sign-in-form" novalidate>
      <label for="sign-in-name">Name</label>
      <input id="sign-in-name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required>
      <label for="sign-in-password">Password</label>
      <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit" class="primary">Sign in</button>
      <p id="sign-in-error" class="error" role="alert"></p>
    </form>
  </section>
  <div id="console-view" class="columns" hidden>
    <section id="queue" class="panel" aria-labelledby="queue-title">
      <h2 id="queue-title" tabindex="-1">Queue</h2>
      <p id="queue-pools" class="muted"></p>
      <ul id="case-list" class="cases"></ul>
      <p id="queue-empty" class="muted" hidden>No cases waiting in your pools.</p>
    </section>
    <section id="case" class="panel" aria-labelledby="case-title" hidden>
      <button type="button" id="back" class="back">Back to the queue</button>
      <h2 id="case-title" tabindex="-1">Case</h2>
      <dl id="case-facts" class="facts"></dl>
      <p id="channel-notice" class="channel-notice" hidden></p>
      <h3>Brief</h3>
      <div id="case-brief" class="brief" dir="auto"></div>
      <div id="case-actions" class="actions">
        <button type="button" id="claim" class="primary">Claim</button>
        <button type="button" id="release">Release</button>
        <form id="transfer-form" class="inline">
          <label for="transfer-pool">Transfer to</label>
          <select id="transfer-pool"></select>
          <button type="submit">Transfer</button>
        </form>
        <form id="handover-form" class="inline" hidden>
          <label for="handover-to">Hand over to</label>
          <select id="handover-to"></select>
          <button type="submit">Hand over</button>
        </form>
        <form id="resolve-form" class="inline">
          <label for="resolve-outcome">Outcome</label>
          <select id="resolve-outcome"></select>
          <button type="submit">Resolve</button>
        </form>
      </div>
      <h3 id="history-title">Conversation</h3>
      <ol id="history" class="history" role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="history-title"></ol>
      <form id="passage-form" class="reply" hidden role="search">
        <label for="passage-query">Insert a passage from the knowledge base (cited)</label>
        <input id="passage-query" type="search" maxlength="500" placeholder="e.g. Opportunity Card points">
        <button type="submit">Search</button>
        <ol id="passage-results" class="passages" aria-live="polite"></ol>
      </form>
      <form id="reply-form" class="reply" hidden>
        <label for="reply-text">Reply to the user</label>
        <textarea id="reply-text" rows="3" maxlength="4000" dir="auto" required></textarea>
        <button type="submit" class="primary">Send reply</button>
      </form>
    </section>
  </div>
</main>
</body>
</html>
`;
