import { describe, expect, it } from 'vitest';
import { chatPage } from '../../../src/channels/web/chat-page.js';
import { CHAT_SCRIPT } from '../../../src/channels/web/chat-script.js';
import { pageLanguages } from '../../../src/channels/web/page-labels.js';
import { LANGUAGES } from '../../../src/core/knowledge.js';
import { Messages } from '../../../src/i18n/i18n.js';

const languages = pageLanguages(Messages.create());
const page = chatPage(languages);
const KEYS = ['title', 'tagline', 'conversation', 'yourMessage', 'placeholder', 'send', 'typing', 'greeting', 'examples', 'notSent', 'offline', 'tooFast', 'tooLong', 'unavailable', 'refused', 'connectionLost', 'unreachable', 'tooManyWindows', 'busy', 'reconnectedTooOften', 'tooManyChats'];

describe('the web chat page', () => {
  it('has a script that parses', () => {
    expect(() => new Function(CHAT_SCRIPT)).not.toThrow();
    expect(page).toContain(CHAT_SCRIPT);
  });

  it('keeps no session id: only the person\'s own messages in sessionStorage, nothing of a session in a request', () => {
    expect(CHAT_SCRIPT).not.toMatch(/localStorage|document\.cookie/);
    expect(CHAT_SCRIPT).not.toMatch(/session=|session:/);
    expect(CHAT_SCRIPT.match(/sessionStorage\.\w+\(/g)).toEqual(['sessionStorage.getItem(', 'sessionStorage.setItem(', 'sessionStorage.removeItem(']);
  });

  it('loads nothing from elsewhere', () => {
    expect(page).not.toMatch(/(src|href)=["']https?:/);
  });

  it('embeds its own words in all ten languages, each complete, Arabic and Urdu right to left', () => {
    const embedded = JSON.parse(/<script type="application\/json" id="lotse-words">([^<]*)<\/script>/.exec(page)![1]!) as typeof languages;
    expect(Object.keys(embedded.labels).sort()).toEqual([...LANGUAGES].sort());
    for (const language of LANGUAGES) {
      expect(Object.keys(embedded.labels[language]).sort(), language).toEqual([...KEYS].sort());
      expect(embedded.labels[language].examples, language).toHaveLength(3);
      expect(embedded.labels[language].tooFast, language).toContain('{{seconds}}');
    }
    expect(embedded.labels.fr.send).toBe('Envoyer');
    expect(embedded.rtl.sort()).toEqual(['ar', 'ur']);
  });

  it('cannot be ended early by a word: "<" is escaped in the embedded JSON', () => {
    const html = chatPage({ labels: { ...languages.labels, en: { ...languages.labels.en, send: '</script><script>alert(1)</script>' } }, rtl: languages.rtl });
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });
});
