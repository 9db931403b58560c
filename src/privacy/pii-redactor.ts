import { findPhoneNumbersInText } from 'libphonenumber-js';
import type { Redactor } from '../core/ports.js';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** Passport, ID and residence-permit numbers: a run of 6-12 letters and digits holding at least 5 digits. */
const DOCUMENT_NUMBER = /\b(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)[A-Z0-9]{6,12}\b/giu;
/** Phone numbers in local or international form that libphonenumber cannot place without a country. */
const PHONE_LIKE = /(?<![\p{L}\p{N}])\+?\d[\d\s().-]{6,}\d(?![\p{L}\p{N}])/gu;
/** IBANs: two letters, two digits, then 10-30 letters and digits (spaces allowed). */
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g;

/** Any decimal digit, of any script: every pattern but the e-mail one needs one (libphonenumber too, Arabic-Indic digits included). */
const DIGIT = /\p{Nd}/u;
/**
 * A plus sign (ASCII or full-width). Without a country to dial from, libphonenumber only finds
 * numbers written internationally, with a plus: it parses every other candidate only to throw and
 * catch an "invalid country" error for it. A text without one is not given to it.
 */
const PLUS = /[+\uFF0B]/;

/** Years and amounts must survive: "2026", "45,300 euros", "§18a". */
const isPlainNumber = (match: string) => /^\d{1,4}$/.test(match.replace(/[\s.,]/g, '')) || /^\d{1,3}([.,\s]\d{3})+$/.test(match.trim());

/**
 * Removes phone numbers, e-mail addresses, passport or ID numbers and IBANs from text before it
 * reaches an LLM, an embedding API, an advisor brief or a log. The user's own conversation keeps the original.
 * Most messages hold no digit and no @: they are returned as they are, without running the patterns.
 */
export class PiiRedactor implements Redactor {
  redact(text: string): string {
    if (!DIGIT.test(text)) return text.includes('@') ? text.replace(EMAIL, '[email]') : text;
    let out = text.replace(EMAIL, '[email]').replace(IBAN, '[iban]');
    if (PLUS.test(out)) {
      for (const found of findPhoneNumbersInText(out).reverse()) {
        out = `${out.slice(0, found.startsAt)}[phone]${out.slice(found.endsAt)}`;
      }
    }
    out = out.replace(PHONE_LIKE, (match) => (isPlainNumber(match) || match.replace(/\D/g, '').length < 8 ? match : '[phone]'));
    return out.replace(DOCUMENT_NUMBER, (match) => (/^\d+$/.test(match) && match.length <= 7 ? match : '[id-number]'));
  }
}
