import { LANGUAGES } from '../core/knowledge.js';
import type { CountryParser } from '../core/ports.js';
import { normalizeText } from '../core/text/normalize-text.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Codes ICU still names but that are no countries today (Yugoslavia shows as "Srbija"), or are groups. */
const NOT_COUNTRIES = new Set(['AN', 'BU', 'CS', 'CT', 'DD', 'DY', 'EU', 'EZ', 'FQ', 'FX', 'HV', 'JT', 'MI', 'NH', 'NQ', 'NT', 'PC', 'PU', 'PZ', 'QO', 'QU', 'RH', 'SU', 'TP', 'UN', 'VD', 'WK', 'YD', 'YU', 'ZR', 'ZZ', 'XA', 'XB']);
/** Names people use that ICU spells otherwise (the Albanian definite form of Kosovo, for one). */
const ALIASES: Record<string, string> = { kosova: 'XK', 'republika e kosoves': 'XK', srbija: 'RS', shqiperia: 'AL', gambia: 'GM', 'the gambia': 'GM', 'bosnia and herzegovina': 'BA', bosnia: 'BA', bih: 'BA', bosna: 'BA', 'bosna i hercegovina': 'BA', macedonia: 'MK', makedonija: 'MK', maqedonia: 'MK', 'maqedonia e veriut': 'MK', 'mali i zi': 'ME', 'crna gora': 'ME' };

/**
 * Finds a country in a reply: its name in any of the ten languages (from the runtime's ICU data,
 * so "Ghana", "Gana", "غانا" and "Гана" all work), or its two-letter code. Kosovo is XK.
 */
export class IntlCountryParser implements CountryParser {
  private readonly names = new Map<string, string>();
  private readonly codes = new Set<string>();

  constructor() {
    const codes: string[] = [];
    for (const a of LETTERS) for (const b of LETTERS) if (!NOT_COUNTRIES.has(a + b)) codes.push(a + b);
    for (const [name, code] of Object.entries(ALIASES)) {
      this.names.set(name, code);
      this.codes.add(code);
    }
    for (const language of LANGUAGES) {
      const intl = new Intl.DisplayNames([language === 'sr' ? 'sr-Latn' : language], { type: 'region', fallback: 'none' });
      for (const code of codes) {
        let name: string | undefined;
        try {
          name = intl.of(code);
        } catch {
          continue;
        }
        // The first code to claim a name keeps it; aliases come first.
        if (name && name !== code && !this.names.has(normalizeText(name))) this.names.set(normalizeText(name), code);
        if (name && name !== code) this.codes.add(code);
      }
    }
  }

  parse(text: string): string | undefined {
    const normalized = normalizeText(text);
    if (/^[a-z]{2}$/.test(normalized)) {
      const code = normalized.toUpperCase();
      return this.codes.has(code) ? code : undefined;
    }
    const direct = this.names.get(normalized);
    if (direct) return direct;
    // "I am from Ghana", "je viens du Maroc": a known name inside a short reply.
    const words = normalized.split(' ');
    for (let size = Math.min(3, words.length); size >= 1; size--) {
      for (let i = 0; i + size <= words.length; i++) {
        const found = this.names.get(words.slice(i, i + size).join(' '));
        if (found) return found;
      }
    }
    return undefined;
  }
}
