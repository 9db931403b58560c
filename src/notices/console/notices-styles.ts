/** The event notices page's own styles, beside the console's (served at /advisor/notices.css; the CSP allows no inline style). */
export const NOTICES_STYLES = `.notice-form { display: flex; flex-direction: column; gap: .4rem; }
.notice-form .field { display: flex; flex-direction: column; gap: .2rem; }
.notice-form .field input { width: 100%; }
.notice-form .hint { margin: 0; font-size: .9rem; }
.notice-form .error { margin: 0; }
.notice-form fieldset { border: 1px solid #ccd; border-radius: .4rem; padding: .5rem .8rem; }
.notice-form legend { font-weight: 600; }
.notice-form .choice { display: flex; align-items: center; gap: .4rem; font-weight: normal; min-height: 2.2rem; }
.notice-form .choice input { min-height: auto; }
.notice-form .choices { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0 .8rem; }
.notice-form .when { display: grid; grid-template-columns: 1fr 1fr; gap: .6rem; }
.notice-form details { border: 1px dashed #ccd; border-radius: .4rem; padding: .4rem .8rem; }
.notice-form summary { cursor: pointer; font-weight: 600; min-height: 2rem; }
[aria-invalid="true"] { border-color: var(--urgent); outline: 1px solid var(--urgent); }
.status-line { color: var(--muted); min-height: 1.4rem; margin: 0; }
.notices { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .6rem; }
.notice { border: 1px solid #d0d7de; border-radius: .5rem; padding: .6rem .8rem; }
.notice h3 { margin: 0 0 .2rem; font-size: 1rem; overflow-wrap: anywhere; unicode-bidi: plaintext; }
.notice p { margin: .15rem 0; overflow-wrap: anywhere; }
.notice .counts { font-size: .9rem; }
.notice .cancelled { color: var(--urgent); font-weight: 600; }
`;
