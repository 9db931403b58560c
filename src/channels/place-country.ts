import { iso1A2Code } from '@rapideditor/country-coder';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The country (ISO 3166-1 alpha-2) at a shared location, from country-coder's offline borders;
 * undefined at sea or for coordinates out of range. Only the country leaves the channel.
 */
export function countryAt(latitude: number, longitude: number): string | undefined {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const code = iso1A2Code([longitude, latitude]);
  return code && /^[A-Z]{2}$/.test(code) ? code : undefined;
}

/** The country of a phone number in international form ("4917612345678" or "+49 176 …"): a hint, never proof of where a person is. */
export function countryOfPhone(number: string): string | undefined {
  const digits = number.replace(/[^\d]/g, '');
  if (digits.length < 6) return undefined;
  return parsePhoneNumberFromString(`+${digits}`)?.country;
}
