/**
 * The files of the official ESCO CSV export that the importer reads, the columns each must have,
 * and the order in which they are imported (groups before concepts, concepts before relations).
 * The language of a file comes from its name's suffix: `occupations_it.csv` fills the Italian labels.
 */
export type EscoFileKind =
  | 'iscoGroups'
  | 'skillGroups'
  | 'skillsHierarchy'
  | 'skills'
  | 'skillsCollection'
  | 'occupations'
  | 'broaderSkills'
  | 'broaderOccupations'
  | 'occupationSkillRelations';

export type EscoLanguage = 'it' | 'en';
export const ESCO_LANGUAGES: readonly EscoLanguage[] = ['en', 'it'];

export type FileSpec = {
  kind: EscoFileKind;
  /** Matches the file name; group 1 is the collection name (collections only). */
  pattern: RegExp;
  required: readonly string[];
  optional?: readonly string[];
  /** How alternative labels are separated in this file. */
  altSeparator?: 'newline' | 'pipe';
};

const LEVELS = [0, 1, 2, 3].flatMap((n) => [`Level ${n} URI`, `Level ${n} preferred term`]);

/** In import order. */
export const FILE_SPECS: readonly FileSpec[] = [
  {
    kind: 'iscoGroups',
    pattern: /^ISCOGroups$/i,
    required: ['conceptUri', 'code', 'preferredLabel'],
    optional: ['description'],
  },
  {
    kind: 'skillGroups',
    pattern: /^skillGroups$/i,
    required: ['conceptUri', 'preferredLabel'],
    optional: ['code', 'altLabels', 'description'],
    altSeparator: 'newline',
  },
  { kind: 'skillsHierarchy', pattern: /^skillsHierarchy$/i, required: LEVELS },
  {
    kind: 'skills',
    pattern: /^skills$/i,
    required: ['conceptUri', 'skillType', 'reuseLevel', 'preferredLabel', 'altLabels', 'description'],
    altSeparator: 'newline',
  },
  {
    kind: 'skillsCollection',
    pattern: /^([a-z]+)SkillsCollection$/i,
    required: [
      'conceptUri',
      'skillType',
      'reuseLevel',
      'preferredLabel',
      'altLabels',
      'description',
      'broaderConceptUri',
    ],
    altSeparator: 'pipe',
  },
  {
    kind: 'occupations',
    pattern: /^occupations$/i,
    required: ['conceptUri', 'iscoGroup', 'preferredLabel', 'altLabels', 'description'],
    optional: ['code'],
    altSeparator: 'newline',
  },
  {
    kind: 'broaderSkills',
    pattern: /^broaderRelationsSkillPillar$/i,
    required: ['conceptUri', 'broaderUri'],
  },
  {
    kind: 'broaderOccupations',
    pattern: /^broaderRelationsOccPillar$/i,
    required: ['conceptUri', 'broaderUri'],
  },
  {
    kind: 'occupationSkillRelations',
    pattern: /^occupationSkillRelations$/i,
    required: ['occupationUri', 'relationType', 'skillUri'],
  },
];

export type RecognisedFile = {
  name: string;
  spec: FileSpec;
  lang: EscoLanguage;
  /** For collections: 'language', 'ict', 'digital', 'transversal', … */
  collection?: string;
};

export type Classification =
  | { ok: true; file: RecognisedFile }
  | { ok: false; reason: 'not-esco' | 'other-language'; lang?: string };

/** Recognises `<base>_<lang>.csv`; only Italian and English are stored (the tables have those columns). */
export function classifyFileName(name: string): Classification {
  const m = /^(.+)_([a-zA-Z]{2}(?:-[a-zA-Z]+)?)\.csv$/.exec(name);
  if (!m) return { ok: false, reason: 'not-esco' };
  const base = m[1] as string;
  const lang = (m[2] as string).toLowerCase();
  const spec = FILE_SPECS.find((s) => s.pattern.test(base));
  if (!spec) return { ok: false, reason: 'not-esco' };
  if (lang !== 'it' && lang !== 'en') return { ok: false, reason: 'other-language', lang };
  const collection =
    spec.kind === 'skillsCollection' ? (spec.pattern.exec(base)?.[1] ?? '').toLowerCase() : undefined;
  return { ok: true, file: { name, spec, lang, ...(collection ? { collection } : {}) } };
}

/** The import order: by kind (FILE_SPECS order), then English before Italian, then name. */
export function importOrder(a: RecognisedFile, b: RecognisedFile): number {
  const ka = FILE_SPECS.indexOf(a.spec);
  const kb = FILE_SPECS.indexOf(b.spec);
  if (ka !== kb) return ka - kb;
  if (a.lang !== b.lang) return a.lang === 'en' ? -1 : 1;
  return a.name.localeCompare(b.name);
}

/**
 * The header problem of a file, as one sentence naming the file and the column, or null when every
 * required column is there. Extra columns are allowed (exports add some over the versions).
 */
export function headerProblem(fileName: string, header: readonly string[], spec: FileSpec): string | null {
  const present = new Set(header.map((h) => h.trim()));
  const duplicate = header.find((h, i) => header.indexOf(h) !== i);
  if (duplicate !== undefined) return `${fileName}: column "${duplicate}" appears twice in the header.`;
  for (const column of spec.required) {
    if (!present.has(column)) {
      const near = header.find((h) => h.trim().toLowerCase() === column.toLowerCase());
      return (
        `${fileName}: column "${column}" is missing` +
        (near ? ` (found "${near}": names are case-sensitive)` : '') +
        `. Expected at least: ${spec.required.join(', ')}.`
      );
    }
  }
  return null;
}

/** A skill's flags from the collection it is listed in. */
export function collectionFlags(collection: string | undefined): {
  is_language?: true;
  is_digital?: true;
  is_transversal?: true;
} {
  if (collection === 'language') return { is_language: true };
  if (collection === 'ict' || collection === 'digital') return { is_digital: true };
  if (collection === 'transversal') return { is_transversal: true };
  return {};
}

export const SKILL_TYPES = ['skill/competence', 'knowledge'] as const;
export const REUSE_LEVELS = [
  'transversal',
  'cross-sector',
  'sector-specific',
  'occupation-specific',
] as const;

/** ISCO codes are 1 to 4 digits; the parent has one digit less. */
export function iscoParent(code: string): string | null {
  return code.length > 1 ? code.slice(0, -1) : null;
}

/** The last path segment of a URI (`…/skill/S1.5` → `S1.5`, `…/isced-f/00` → `00`). */
export function uriCode(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}
