import { createHash } from 'node:crypto';

/**
 * Open Badges 3.0 credentials (an OpenBadgeCredential is a W3C Verifiable Credential, data model
 * 2.0), built as plain JSON; securing them (VC-JOSE, `typ: vc+jwt`) is the use case's job.
 */
export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const VC_JWT_TYPE = 'vc+jwt';

export type BadgeKind = 'course_completed' | 'competence_validated';

/** The public addresses of the issuer, all under the platform's public URL. */
export function issuerUrls(publicUrl: string) {
  const base = publicUrl.replace(/\/$/, '');
  return {
    issuerId: `${base}/badge/emittente`,
    jwks: `${base}/badge/chiavi.json`,
    statusList: (list: number) => `${base}/badge/stato/${list}`,
    badge: (code: string) => `${base}/badge/${code}`,
    verify: (code: string) => `${base}/verifica/${code}`,
  };
}

export type IssuerProfile = {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
  description?: string;
};

export function issuerProfile(publicUrl: string, regionName: string): IssuerProfile {
  return {
    id: issuerUrls(publicUrl).issuerId,
    type: ['Profile'],
    name: `Regione ${regionName}`,
    url: publicUrl.replace(/\/$/, ''),
  };
}

/** "sha256$<hex>" of the value followed by the salt, as Open Badges hashes a recipient identity. */
export function identityHash(value: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(value + salt, 'utf8')
    .digest('hex')}`;
}

/** A stable URN for an achievement (the same course or competence of a Region gets the same id). */
export function achievementUrn(regionCode: string, kind: BadgeKind, name: string): string {
  const h = createHash('sha256').update(`${regionCode}\n${kind}\n${name}`, 'utf8').digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export type CredentialInput = {
  publicUrl: string;
  regionCode: string;
  regionName: string;
  code: string;
  kind: BadgeKind;
  issuedAt: Date;
  /** The person's fiscal code if known, otherwise their account id: only its salted hash is written. */
  recipientIdentifier: { value: string; type: 'nationalIdentityNumber' | 'identifier' };
  salt: string;
  statusList: number;
  statusIndex: number;
  achievement: {
    name: string;
    description: string;
    criteria: string;
    skills: { uri: string; label: string }[];
    eqfLevel?: number | null;
  };
};

export type OpenBadgeCredential = {
  '@context': string[];
  id: string;
  type: string[];
  name: string;
  issuer: IssuerProfile;
  validFrom: string;
  credentialSubject: {
    type: ['AchievementSubject'];
    identifier: {
      type: 'IdentityObject';
      identityHash: string;
      identityType: string;
      hashed: true;
      salt: string;
    }[];
    achievement: {
      id: string;
      type: ['Achievement'];
      achievementType: 'Course' | 'Competency';
      name: string;
      description: string;
      criteria: { narrative: string };
      alignment: {
        type: ['Alignment'];
        targetName: string;
        targetUrl: string;
        targetFramework: string;
        targetType?: string;
        targetCode?: string;
      }[];
      inLanguage: string;
    };
  };
  credentialStatus: {
    id: string;
    type: 'BitstringStatusListEntry';
    statusPurpose: 'revocation';
    statusListIndex: string;
    statusListCredential: string;
  };
};

export function buildCredential(input: CredentialInput): OpenBadgeCredential {
  const urls = issuerUrls(input.publicUrl);
  const a = input.achievement;
  const alignment: OpenBadgeCredential['credentialSubject']['achievement']['alignment'] = a.skills.map(
    (s) => ({
      type: ['Alignment'],
      targetName: s.label,
      targetUrl: s.uri,
      targetFramework: 'ESCO',
      targetType: 'ext:ESCOSkill',
    }),
  );
  if (a.eqfLevel) {
    alignment.push({
      type: ['Alignment'],
      targetName: `EQF ${a.eqfLevel}`,
      targetUrl: `http://data.europa.eu/snb/eqf/${a.eqfLevel}`,
      targetFramework: 'European Qualifications Framework',
      targetType: 'ext:EQFLevel',
      targetCode: String(a.eqfLevel),
    });
  }
  const statusListUrl = urls.statusList(input.statusList);
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: urls.badge(input.code),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: a.name,
    issuer: issuerProfile(input.publicUrl, input.regionName),
    validFrom: input.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: identityHash(input.recipientIdentifier.value, input.salt),
          identityType: input.recipientIdentifier.type,
          hashed: true,
          salt: input.salt,
        },
      ],
      achievement: {
        id: achievementUrn(input.regionCode, input.kind, a.name),
        type: ['Achievement'],
        achievementType: input.kind === 'course_completed' ? 'Course' : 'Competency',
        name: a.name,
        description: a.description,
        criteria: { narrative: a.criteria },
        alignment,
        inLanguage: 'it',
      },
    },
    credentialStatus: {
      id: `${statusListUrl}#${input.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.statusIndex),
      statusListCredential: statusListUrl,
    },
  };
}

/** The status list itself is a credential (BitstringStatusListCredential), signed like a badge. */
export function buildStatusListCredential(input: {
  publicUrl: string;
  regionName: string;
  list: number;
  encodedList: string;
  validFrom: Date;
}) {
  const url = issuerUrls(input.publicUrl).statusList(input.list);
  return {
    '@context': [VC_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerProfile(input.publicUrl, input.regionName),
    validFrom: input.validFrom.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: input.encodedList,
    },
  };
}

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** A public code like B7K2-9QXM-4HTR (no 0/O/1/I), from 11 random bytes. */
export function badgeCode(random: Uint8Array): string {
  let s = 'B';
  for (let i = 0; i < 11; i++) s += CODE_ALPHABET[(random[i] ?? 0) % CODE_ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}
export const BADGE_CODE_PATTERN = /^B[0-9A-Z]{3}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
