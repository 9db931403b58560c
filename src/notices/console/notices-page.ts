import { LANGUAGES } from '../../core/knowledge.js';
import { escapeHtml, frame } from '../../handoff/advisors/console/page-frame.js';

/** Each language's name in English and in itself, for the form's choices. */
function languageLabel(language: string): string {
  const english = new Intl.DisplayNames(['en'], { type: 'language' }).of(language) ?? language;
  const own = new Intl.DisplayNames([language === 'sr' ? 'sr-Latn' : language], { type: 'language' }).of(language) ?? language;
  return english === own ? `${english} (${language})` : `${english} – ${own} (${language})`;
}

const field = (id: string, label: string, input: string, hint = '') =>
  `<div class="field">
  <label for="${id}">${escapeHtml(label)}</label>
  ${input}${hint ? `\n  <p class="muted hint" id="${id}-hint">${escapeHtml(hint)}</p>` : ''}
  <p class="error" id="${id}-error"></p>
</div>`;

/**
 * The programme staff's page: a form to announce an event (title, optionally in other languages;
 * date, time and IANA time zone; https link; countries; languages; audience) and the upcoming and
 * past notices with their counts. Everything the page shows after loading comes through its script
 * (/advisor/notices.js) from /advisor/api/notices; the CSP allows no inline script or style.
 */
export function noticesPage(reminderLeadMinutes: number): string {
  const titleFields = LANGUAGES.map((language) =>
    field(`notice-title-${language}`, languageLabel(language), `<input id="notice-title-${language}" data-language="${language}" class="title-translation" maxlength="200" lang="${language}" dir="auto" aria-describedby="notice-title-${language}-error">`),
  ).join('\n');
  const languageChoices = LANGUAGES.map((language) => `<label class="choice"><input type="checkbox" name="language" value="${language}" disabled> ${escapeHtml(languageLabel(language))}</label>`).join('\n');
  const reminder = reminderLeadMinutes % 60 === 0 ? `${reminderLeadMinutes / 60} hour${reminderLeadMinutes === 60 ? '' : 's'}` : `${reminderLeadMinutes} minutes`;
  return frame(
    'Event notices',
    `<link rel="stylesheet" href="/advisor/notices.css">
<h2>Event notices</h2>
<p class="muted">Announce an online job fair, training or information day. It goes at once to the users who asked for notices on Telegram or WhatsApp and fit the countries, languages and audience chosen here, in their own language, with a reminder ${escapeHtml(reminder)} before the event. Users whose country or audience Lotse does not know get only notices for all countries, or for both audiences. Cancelling an upcoming notice tells everyone it reached that the event will not take place.</p>
<form id="notice-form" class="notice-form" novalidate>
${field('notice-title', 'Title', '<input id="notice-title" name="title" maxlength="200" required dir="auto" aria-describedby="notice-title-error">')}
<details class="translations">
<summary>Title in other languages (optional)</summary>
<p class="muted">Users read the title in their language where one is given here, otherwise as written above.</p>
${titleFields}
</details>
<div class="when">
${field('notice-date', 'Date', '<input type="date" id="notice-date" name="date" required aria-describedby="notice-date-error">')}
${field('notice-time', 'Time', '<input type="time" id="notice-time" name="time" required aria-describedby="notice-time-error">')}
</div>
${field('notice-zone', 'Time zone', '<input id="notice-zone" name="timeZone" list="notice-zones" autocomplete="off" spellcheck="false" required aria-describedby="notice-zone-hint notice-zone-error"><datalist id="notice-zones"></datalist>', 'An IANA time zone such as Europe/Berlin or Africa/Accra; your browser\'s is filled in. Users see the time in this zone, with its name.')}
${field('notice-link', 'Link to details and registration', '<input type="url" id="notice-link" name="link" placeholder="https://" required aria-describedby="notice-link-error">')}
<fieldset id="notice-countries-set">
<legend>Countries</legend>
<label class="choice"><input type="checkbox" id="notice-all-countries" checked> All countries</label>
${field('notice-countries', 'Country codes', '<input id="notice-countries" name="countries" placeholder="GH, NG, XK" disabled aria-describedby="notice-countries-hint notice-countries-error">', 'Two-letter ISO codes separated by commas (XK for Kosovo).')}
</fieldset>
<fieldset id="notice-languages-set" aria-describedby="notice-languages-error">
<legend>Languages</legend>
<label class="choice"><input type="checkbox" id="notice-all-languages" checked> All languages</label>
<div class="choices">
${languageChoices}
</div>
<p class="error" id="notice-languages-error"></p>
</fieldset>
<fieldset id="notice-audience-set" aria-describedby="notice-audience-error">
<legend>Audience</legend>
<label class="choice"><input type="radio" name="audience" value="both" checked> Both</label>
<label class="choice"><input type="radio" name="audience" value="prospective"> Prospective migrants (planning to go)</label>
<label class="choice"><input type="radio" name="audience" value="returnee"> Returnees (have come back)</label>
<p class="error" id="notice-audience-error"></p>
</fieldset>
<div class="actions"><button class="primary" type="submit" id="notice-announce">Announce</button></div>
<p id="notice-status" class="status-line" role="status" aria-live="polite"></p>
<p id="notice-problem" class="error" role="alert"></p>
</form>
<section aria-labelledby="notices-upcoming-title">
<h2 id="notices-upcoming-title">Upcoming</h2>
<p id="notices-upcoming-empty" class="muted">No upcoming notices.</p>
<ul id="notices-upcoming" class="notices"></ul>
</section>
<section aria-labelledby="notices-past-title">
<h2 id="notices-past-title">Past</h2>
<p id="notices-past-empty" class="muted">No past notices.</p>
<ul id="notices-past" class="notices"></ul>
</section>`,
    '/advisor/notices.js',
  );
}
