import { z } from 'zod';
import type { DocumentSection } from '../../onboarding/adapters/pdf-documents.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import type { Benefit, PactParty, SignatureMethod } from '../adapters/pact-tables.ts';

/**
 * The Patto di servizio personalizzato (D.Lgs. 150/2015, art. 20): what a version says, who must
 * sign it, and the document's sections. Pure: no database, no clock.
 */
export const PHASES = ['information', 'engagement', 'orientation', 'search', 'monitoring', 'checks'] as const;
const CHANNELS = ['remote', 'blended', 'in_person'] as const;
export const BENEFITS = ['naspi', 'dis_coll', 'adi', 'sfl', 'other'] as const;

const commitment = z.object({ text: z.string().min(1).max(500), source: z.string().max(200).nullable() });

export const pactContentSchema = z.object({
  person: z.object({ name: z.string(), fiscalCode: z.string().nullable() }),
  office: z.object({ name: z.string() }),
  agency: z.object({ id: z.string(), name: z.string() }).nullable(),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
  channels: z.partialRecord(z.enum(PHASES), z.enum(CHANNELS)),
  services: z.array(z.object({ code: z.string(), target: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })).max(12),
  cpiCommitments: z.array(commitment).max(20),
  citizenCommitments: z.array(commitment).max(20),
  obligations: z.array(
    z.object({ benefit: z.enum(BENEFITS), code: z.string(), text: z.string(), source: z.string() }),
  ),
  notes: z.string().max(2000),
});
export type PactContent = z.infer<typeof pactContentSchema>;

export type ObligationData = {
  profileBenefitMap: Record<string, Benefit>;
  benefits: Record<Benefit, { code: string; text: string; source: string }[]>;
};

/** Obligations tied to the benefits listed in the person's profile (e.g. 'naspi', 'adi_sfl'). */
export function obligationsFor(
  profileBenefits: readonly string[],
  data: ObligationData,
): PactContent['obligations'] {
  const benefits = [
    ...new Set(profileBenefits.map((b) => data.profileBenefitMap[b]).filter(Boolean)),
  ] as Benefit[];
  return benefits.flatMap((benefit) => data.benefits[benefit].map((o) => ({ benefit, ...o })));
}

/** The parties whose signature makes the pact binding: citizen and CPI, plus the agency if any. */
export function requiredParties(agencyId: string | null): PactParty[] {
  return agencyId ? ['citizen', 'cpi', 'apl'] : ['citizen', 'cpi'];
}

export function missingParties(
  required: readonly PactParty[],
  signed: readonly { party: PactParty }[],
): PactParty[] {
  return required.filter((p) => !signed.some((s) => s.party === p));
}

/** A commitment typed one per line in the draft form: the line and, after " — fonte: ", its source. */
export function parseCommitmentLines(text: string): PactContent['cpiCommitments'] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^(.*?)\s*\((?:fonte|source): ([^)]+)\)$/.exec(line);
      return m ? { text: m[1]!, source: m[2]! } : { text: line, source: null };
    });
}

export function commitmentLines(items: PactContent['cpiCommitments']): string {
  return items.map((c) => (c.source ? `${c.text} (fonte: ${c.source})` : c.text)).join('\n');
}

export type SignatureView = {
  party: PactParty;
  signerName: string;
  method: SignatureMethod;
  signedAt: Date;
  atDesk: boolean;
};

/** The document's sections, in the language of `t` (dates in Europe/Rome). */
export function pactSections(
  content: PactContent,
  t: Translate,
  lang: string,
  signatures: SignatureView[] | null,
): DocumentSection[] {
  const day = dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' });
  const when = dateTimeFormat(lang, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  const line = (c: { text: string; source: string | null }) =>
    c.source ? `${c.text} (${t('pact.doc.source')}: ${c.source})` : c.text;
  const sections: DocumentSection[] = [
    {
      heading: t('pact.doc.parties'),
      paragraphs: [
        `${t('pact.doc.person')}: ${content.person.name}${content.person.fiscalCode ? ` (${content.person.fiscalCode})` : ''}`,
        `${t('pact.doc.office')}: ${content.office.name}`,
        ...(content.agency ? [`${t('pact.doc.agency')}: ${content.agency.name}`] : []),
        t('pact.doc.legalBasis'),
      ],
    },
    {
      heading: t('pact.doc.pathHeading'),
      paragraphs: [
        content.tier ? t('pact.doc.tier', { tier: content.tier }) : t('pact.doc.noTier'),
        ...PHASES.filter((p) => content.channels[p]).map(
          (p) => `${t(`journey.phases.${p}`)}: ${t(`journey.channels.${content.channels[p]}`)}`,
        ),
      ],
    },
    {
      heading: t('pact.doc.servicesHeading'),
      paragraphs: content.services.length
        ? content.services.map(
            (s) =>
              `${t(`agenda.services.${s.code}`)} — ${t('pact.doc.by', { date: day.format(new Date(`${s.target}T12:00:00Z`)) })}`,
          )
        : [t('pact.doc.noServices')],
    },
    { heading: t('pact.doc.cpiHeading'), paragraphs: content.cpiCommitments.map(line) },
    { heading: t('pact.doc.citizenHeading'), paragraphs: content.citizenCommitments.map(line) },
  ];
  if (content.obligations.length)
    sections.push({
      heading: t('pact.doc.obligationsHeading'),
      paragraphs: content.obligations.map(
        (o) => `${t(`pact.benefits.${o.benefit}`)}: ${o.text} (${t('pact.doc.source')}: ${o.source})`,
      ),
    });
  if (content.notes.trim())
    sections.push({ heading: t('pact.doc.notesHeading'), paragraphs: [content.notes] });
  if (signatures)
    sections.push({
      heading: t('pact.doc.signaturesHeading'),
      paragraphs: signatures.map((s) =>
        t('pact.doc.signatureLine', {
          party: t(`pact.parties.${s.party}`),
          name: s.signerName,
          method: t(`pact.methods.${s.method}`),
          when: when.format(s.signedAt),
          desk: s.atDesk ? ` ${t('pact.doc.atDesk')}` : '',
        }),
      ),
    });
  return sections;
}
