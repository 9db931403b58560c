/** The kinds of danger the safety screen tells apart; each has its own reply and its own contacts. */
export const DANGER_KINDS = [
  'trafficking_exploitation',
  'violence',
  'sexual_harassment_abuse',
  'self_harm',
  'medical_emergency',
  'dangerous_crossing_smuggling',
  'kidnapping',
  'child_in_danger',
  'forced_marriage',
  'destitution',
  'creditor_threats',
] as const;
export type DangerKind = (typeof DANGER_KINDS)[number];

export function isDangerKind(value: unknown): value is DangerKind {
  return typeof value === 'string' && (DANGER_KINDS as readonly string[]).includes(value);
}
