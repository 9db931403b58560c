import { CHAT_SCRIPT } from './chat-script.js';
import type { PageLanguages } from './page-labels.js';

/** JSON inside a <script> element: "<" escaped, so that no "</script>" or "<!--" in a word ends it early. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The web chat page: one self-contained, accessible, mobile-first HTML document (no external
 * resources). Its own words come in all ten languages; it speaks the browser's first supported
 * language, then the latest reply's, with `lang` and `dir` set on the document. Replies arrive over
 * server-sent events; each is laid out in its own direction (right to left for Arabic and Urdu) and
 * language. The page never holds the session id: the server keeps it in an HttpOnly cookie, so no
 * URL, script or log line carries it. The HTML before the script runs is in English.
 */
export const chatPage = (languages: PageLanguages): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lotse – migration advice chat</title>
<style>
  :root { --fg: #1b1f23; --bg: #f6f7f9; --me: #dbeafe; --bot: #ffffff; --accent: #0b5cad; --muted: #555; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", sans-serif; }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--fg); display: flex; flex-direction: column; height: 100dvh; }
  header { background: var(--accent); color: #fff; padding: .75rem 1rem; }
  header h1 { margin: 0; font-size: 1.15rem; }
  header p { margin: .15rem 0 0; font-size: .85rem; opacity: .9; }
  #log { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .6rem; }
  .msg { max-width: min(38rem, 92%); padding: .6rem .8rem; border-radius: .8rem; overflow-wrap: anywhere; line-height: 1.45; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .me { align-self: flex-end; background: var(--me); white-space: pre-wrap; }
  .bot { align-self: flex-start; background: var(--bot); }
  .bot p, .bot ul, .bot ol, .bot .table { margin: 0 0 .5rem; }
  .bot .body > :last-child { margin-bottom: 0; }
  .bot ul, .bot ol { padding-inline-start: 1.4rem; }
  .bot li + li { margin-top: .2rem; }
  .bot .table { overflow-x: auto; }
  .bot table { border-collapse: collapse; font-size: .92rem; }
  .bot th, .bot td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: start; vertical-align: top; }
  .bot th { background: #f0f3f6; }
  .msg a { color: var(--accent); }
  /* A phone number, amount or date is not broken across lines; a URL (always a link) may be. */
  .msg bdi { white-space: nowrap; }
  .msg a bdi { white-space: normal; }
  .sources { margin-top: .6rem; padding-top: .4rem; border-top: 1px solid #e3e6ea; font-size: .88rem; }
  .sources-heading { margin: 0; font-weight: 600; }
  .sources ol { margin: .2rem 0 0; padding-inline-start: 1.4rem; }
  .choices, .examples { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
  .choices button, .examples button { min-height: 2.75rem; padding: .4rem 1rem; border-radius: 1.4rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); font: inherit; cursor: pointer; text-align: start; }
  .choices button:disabled { border-color: #bbb; color: #777; cursor: default; }
  .choices button[aria-pressed="true"] { background: #e8eef6; color: var(--fg); border-color: var(--accent); }
  .greeting { align-self: stretch; background: var(--bot); border-radius: .8rem; padding: .8rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .greeting p { margin: 0; }
  .examples { flex-direction: column; align-items: stretch; }
  .status { align-self: center; font-size: .85rem; color: var(--muted); text-align: center; }
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
  <p id="tagline">Information on working, training and living in Germany, and support after return – with sources. Ask in your language.</p>
</header>
<main id="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation"></main>
<form id="form" autocomplete="off">
  <label class="sr-only" id="text-label" for="text">Your message</label>
  <textarea id="text" name="text" rows="1" placeholder="Type your question…" required></textarea>
  <button type="submit" id="send">Send</button>
</form>
<script type="application/json" id="lotse-words">${scriptJson(languages)}</script>
<script>${CHAT_SCRIPT}</script>
</body>
</html>
`;
