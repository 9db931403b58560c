import path from 'node:path';
import { z } from 'zod';
import type { KnowledgeDocument } from '../core/knowledge.js';
import type { KnowledgeProblem } from './knowledge-loader.js';
import { readYamlEntries } from './yaml-entries.js';

export const DIRECTORY_FILE = path.join('directory', 'centres.yaml');

const SERVICES = [
  'migration-advice',
  'job-placement',
  'business-start-up',
  'training',
  'language-courses',
  'psychosocial-support',
  'irregular-migration-awareness',
] as const;

const SERVICE_NAMES: Record<(typeof SERVICES)[number], string> = {
  'migration-advice': 'advice on regular migration',
  'job-placement': 'job placement',
  'business-start-up': 'business start-up',
  training: 'training and further qualification',
  'language-courses': 'language courses',
  'psychosocial-support': 'psychosocial support',
  'irregular-migration-awareness': 'information on the risks of irregular migration',
};

const day = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));

export const centreSchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO country code such as GH'),
  country_name: z.string().min(2),
  centre: z.string().min(3),
  city: z.string().optional(),
  languages: z.array(z.string()).default([]),
  services: z.array(z.enum(SERVICES)).min(1),
  referrals: z.array(z.object({ service: z.enum(SERVICES), description: z.string().min(3) })).default([]),
  contact: z
    .object({ website: z.url().optional(), email: z.string().optional(), phone: z.string().optional(), address: z.string().optional() })
    .partial()
    .default({}),
  how_to_reach: z.string().min(10),
  label_note: z.string().optional(),
  source_urls: z.array(z.url()).min(1),
  as_of: day,
});

export type Centre = z.infer<typeof centreSchema>;

function addMonths(isoDay: string, months: number): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/** Renders one centre as a knowledge document, so that questions about it are retrieved and cited. */
export function centreToDocument(centre: Centre, file: string): KnowledgeDocument {
  const lines: string[] = [];
  const where = centre.city ? ` in ${centre.city}, ${centre.country_name}` : ` in ${centre.country_name}`;
  lines.push(`## ${centre.centre}`, '', `${centre.centre}${where} advises people in ${centre.country_name}.`);
  if (centre.languages.length > 0) lines.push(`Languages: ${centre.languages.join(', ')}.`);
  if (centre.label_note) lines.push('', centre.label_note);
  lines.push('', `## Services of the centre in ${centre.country_name}`, '');
  for (const service of centre.services) lines.push(`- ${SERVICE_NAMES[service]}`);
  if (centre.referrals.length > 0) {
    lines.push('', `## Where the centre in ${centre.country_name} refers people`, '');
    for (const referral of centre.referrals) lines.push(`- ${SERVICE_NAMES[referral.service]}: ${referral.description}`);
  }
  lines.push('', `## How to reach the centre in ${centre.country_name}`, '');
  const contact = centre.contact;
  if (contact.website) lines.push(`- Website: ${contact.website}`);
  if (contact.email) lines.push(`- E-mail: ${contact.email}`);
  if (contact.phone) lines.push(`- Phone: ${contact.phone}`);
  if (contact.address) lines.push(`- Address: ${contact.address}`);
  lines.push(centre.how_to_reach);
  return {
    meta: {
      id: `centre-${centre.country.toLowerCase()}`,
      baseId: `centre-${centre.country.toLowerCase()}`,
      title: `${centre.centre} (${centre.country_name})`,
      language: 'en',
      sourceUrls: centre.source_urls,
      asOf: centre.as_of,
      reviewBy: addMonths(centre.as_of, 6),
      countries: [centre.country],
      audience: 'all',
      topics: ['centres', 'reintegration', 'counselling', centre.country_name.toLowerCase()],
      file,
    },
    body: lines.join('\n'),
  };
}

/** Loads the directory of centres; a bad entry is reported and the others still load. */
export async function loadCentreDirectory(knowledgeDir: string): Promise<{ centres: Centre[]; documents: KnowledgeDocument[]; problems: KnowledgeProblem[] }> {
  const file = DIRECTORY_FILE;
  const { entries: centres, problems } = await readYamlEntries(knowledgeDir, file, {
    list: (data) => (Array.isArray(data) ? data : undefined),
    shape: 'a YAML list of centres',
    schema: centreSchema,
    label: (entry, index) => (entry as { country?: string } | null)?.country ?? `entry ${index + 1}`,
  });
  return { centres, documents: centres.map((c) => centreToDocument(c, `${file}#${c.country}`)), problems };
}
