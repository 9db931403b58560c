/** The console's styles: mobile first (one column; queue and case side by side from 900 px), large touch targets, visible focus. */
export const CONSOLE_STYLES = `:root { --fg: #1b1f23; --bg: #f6f7f9; --panel: #fff; --accent: #0b5cad; --muted: #555; --urgent: #b42318; --high: #b54708; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.45; }
[hidden] { display: none !important; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
.bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; background: var(--accent); color: #fff; padding: .6rem 1rem; }
.bar h1 { margin: 0; font-size: 1.15rem; }
.bar button { background: #fff; color: var(--accent); }
.bar a { color: #fff; }
button, select, input, textarea { font: inherit; }
button { min-height: 2.75rem; padding: .4rem 1rem; border-radius: .5rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); cursor: pointer; }
button.primary { background: var(--accent); color: #fff; }
button:disabled { opacity: .5; cursor: not-allowed; }
input, select, textarea { min-height: 2.75rem; padding: .4rem .6rem; border: 1px solid #888; border-radius: .4rem; background: #fff; max-width: 100%; }
label { font-weight: 600; }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.status { margin: 0; padding: 0 1rem; min-height: 1.6rem; color: var(--muted); }
.error { color: var(--urgent); min-height: 1.4rem; }
.muted { color: var(--muted); }
main { padding: .5rem; }
.panel { background: var(--panel); border-radius: .6rem; padding: 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); margin-bottom: .75rem; min-width: 0; }
.panel h2 { margin-top: 0; font-size: 1.1rem; }
.sign-in { max-width: 26rem; margin: 2rem auto; }
.sign-in form { display: flex; flex-direction: column; gap: .4rem; }
.sign-in button { margin-top: .6rem; }
.cases { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .5rem; }
.case-open { width: 100%; text-align: start; display: flex; flex-direction: column; gap: .15rem; color: var(--fg); border-color: #ccd; }
.case-open[aria-current="true"] { border: 2px solid var(--accent); background: #eef5ff; }
.case-open .line1 { font-weight: 600; }
.case-open .line2 { font-size: .9rem; color: var(--muted); }
.priority-urgent { color: var(--urgent); }
.priority-high { color: var(--high); }
.back { margin-bottom: .6rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: 0 0 .6rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.brief { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f4f6; padding: .6rem; border-radius: .4rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .8rem 0; }
.inline { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; }
.history { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .5rem; }
.event { max-width: min(40rem, 95%); padding: .5rem .7rem; border-radius: .6rem; }
.event .who { display: block; font-size: .8rem; color: var(--muted); }
.event .body { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext; }
.event.user { align-self: flex-start; background: #eef0f3; }
.event.bot { align-self: flex-start; background: #f7f3e8; }
.event.advisor { align-self: flex-end; background: #dbeafe; }
.event .translation { margin-top: .35rem; padding-top: .35rem; border-top: 1px dashed #99a; }
.event.system { align-self: center; font-size: .85rem; color: var(--muted); background: none; }
.reply { display: flex; flex-direction: column; gap: .4rem; margin-top: .8rem; }
.reply textarea { width: 100%; resize: vertical; }
@media (min-width: 900px) {
  .columns { display: grid; grid-template-columns: minmax(18rem, 1fr) 2fr; gap: .75rem; align-items: start; }
  .back { display: none; }
}
@media (max-width: 899px) {
  body.case-open #queue { display: none; }
}
.passages { list-style: none; padding: 0; margin: .5rem 0 0; }
.passages li { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem; margin-bottom: .5rem; }
.passages .meta { color: #57606a; font-size: .9em; }
#passage-query { width: 100%; box-sizing: border-box; }
.channel-notice { margin: 0 0 .6rem; padding: .6rem .8rem; border-radius: .4rem; border-inline-start: 4px solid var(--high); background: #fff4e5; }
.channel-notice.closed { border-color: var(--urgent); background: #fdecea; }
.page { max-width: 40rem; margin: 1rem auto; }
.qr svg { display: block; width: min(20rem, 80vw); height: auto; background: #fff; }
`;
