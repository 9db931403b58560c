import { z } from 'zod';
import { AUDIENCES, LANGUAGES } from '../core/knowledge.js';

/** YAML turns unquoted dates into Date objects; accept both and keep the ISO day. */
const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.trim()))
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: 'must be a date written YYYY-MM-DD',
  });

const list = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** The front matter every knowledge document must have (see knowledge/README.md). */
export const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters, digits and hyphens'),
    translation_of: z.string().optional(),
    title: z.string().min(3, 'must not be empty'),
    language: z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(', ')}` }),
    source_urls: list(z.url({ message: 'every source must be a full URL' })).refine((v) => v.length > 0, 'needs at least one URL'),
    legal_basis: z.string().optional(),
    as_of: isoDate,
    review_by: isoDate,
    countries: list(z.string().regex(/^([A-Z]{2}|all)$/, 'use ISO country codes such as GH, NG, XK, or "all"')),
    audience: z.enum(AUDIENCES, { message: `must be one of ${AUDIENCES.join(', ')}` }),
    topics: list(z.string().min(1)),
    /** Optional: the only groups the document's offer is for (e.g. asylum-seekers); retrieval ranks it lower for other questions. */
    eligibility: list(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, e.g. asylum-seekers')).optional(),
  })
  .refine((m) => m.review_by >= m.as_of, { message: 'review_by must not be before as_of', path: ['review_by'] })
  .refine((m) => m.language === 'en' || m.translation_of !== undefined, {
    message: 'a non-English document needs translation_of: <the English base id>',
    path: ['translation_of'],
  });

export type FrontMatter = z.infer<typeof frontMatterSchema>;
