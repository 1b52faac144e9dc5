/**
 * A vacancy as a schema.org `JobPosting` (https://schema.org/JobPosting), for the public vacancy page
 * (JSON-LD) and the open-data feed `/offerte.json`. Pure: the caller loads the data.
 */

export type JobPostingContract =
  | 'indeterminato'
  | 'determinato'
  | 'apprendistato'
  | 'somministrazione'
  | 'tirocinio'
  | 'stagionale';

export interface JobPostingInput {
  /** The vacancy's id (uuid). */
  id: string;
  title: string;
  description: string;
  /** When it was published (falls back to now's caller choice: pass created_at for unpublished). */
  datePosted: Date;
  /** Last day the vacancy is open (inclusive), `YYYY-MM-DD` or a Date (its calendar day in UTC). */
  expiresOn: string | Date;
  contractType: JobPostingContract;
  hours: 'full_time' | 'part_time';
  company: { name: string; publicSlug?: string | null };
  /** The place; null when fully remote. */
  place?: {
    municipality: string;
    province?: string | null;
    region?: string | null;
    postalCode?: string | null;
  } | null;
  remote: 'no' | 'hybrid' | 'full';
  pay?: { min: number | null; max: number | null; period: 'hour' | 'month' | 'year' } | null;
  /** ESCO occupation URI, or an ISCO-08 code (4 digits). */
  occupation?: { uri?: string | null; iscoCode?: string | null; label?: string | null } | null;
  /** Minimum EQF level (0 = none). */
  eqfRequired?: number;
  /** Skill labels (essential first). */
  skills?: string[];
  positions?: number;
  experienceYears?: number;
  startDate?: string | Date | null;
  weeklyHours?: number | null;
}

/** Italian contract types → schema.org employmentType (with full or part time). */
export function employmentTypes(contract: JobPostingContract, hours: 'full_time' | 'part_time'): string[] {
  const time = hours === 'full_time' ? 'FULL_TIME' : 'PART_TIME';
  switch (contract) {
    case 'determinato':
    case 'stagionale':
    case 'somministrazione':
      return [time, 'TEMPORARY'];
    case 'tirocinio':
      return [time, 'INTERN'];
    default:
      // indeterminato, apprendistato (an open-ended contract with training).
      return [time];
  }
}

/** EQF level → schema.org EducationalOccupationalCredential category (the nearest one). */
function educationCategory(eqf: number): string | null {
  if (eqf <= 0) return null;
  if (eqf <= 4) return 'high school';
  if (eqf === 5) return 'associate degree';
  if (eqf === 6) return 'bachelor degree';
  return 'postgraduate degree';
}

function day(d: string | Date): string {
  if (typeof d === 'string') return d.slice(0, 10);
  return d.toISOString().slice(0, 10);
}

const UNIT: Record<'hour' | 'month' | 'year', string> = { hour: 'HOUR', month: 'MONTH', year: 'YEAR' };

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export function jobPosting(v: JobPostingInput, baseUrl: string): Record<string, unknown> {
  const base = trimBase(baseUrl);
  const url = `${base}/offerte/${encodeURIComponent(v.id)}`;
  const out: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    identifier: { '@type': 'PropertyValue', name: 'Sportello Lavoro', value: v.id },
    url,
    title: v.title,
    description: v.description,
    datePosted: v.datePosted.toISOString(),
    // Open until the end of the last day (Italian time is at most UTC+2; end of day UTC is safe).
    validThrough: `${day(v.expiresOn)}T23:59:59Z`,
    employmentType: employmentTypes(v.contractType, v.hours),
    hiringOrganization: {
      '@type': 'Organization',
      name: v.company.name,
      ...(v.company.publicSlug
        ? { sameAs: `${base}/aziende/${encodeURIComponent(v.company.publicSlug)}` }
        : {}),
    },
  };
  if (v.remote === 'full' || !v.place) {
    out.jobLocationType = 'TELECOMMUTE';
    out.applicantLocationRequirements = { '@type': 'Country', name: 'IT' };
  } else {
    out.jobLocation = {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        addressLocality: v.place.municipality,
        ...(v.place.province
          ? { addressRegion: v.place.province }
          : v.place.region
            ? { addressRegion: v.place.region }
            : {}),
        ...(v.place.postalCode ? { postalCode: v.place.postalCode } : {}),
        addressCountry: 'IT',
      },
    };
  }
  if (v.pay && (v.pay.min != null || v.pay.max != null)) {
    const value: Record<string, unknown> = { '@type': 'QuantitativeValue', unitText: UNIT[v.pay.period] };
    if (v.pay.min != null && v.pay.max != null && v.pay.min !== v.pay.max) {
      value.minValue = v.pay.min;
      value.maxValue = v.pay.max;
    } else {
      value.value = v.pay.min ?? v.pay.max;
    }
    out.baseSalary = { '@type': 'MonetaryAmount', currency: 'EUR', value };
  }
  if (v.occupation?.iscoCode) out.occupationalCategory = v.occupation.iscoCode;
  else if (v.occupation?.uri) out.occupationalCategory = v.occupation.uri;
  const edu = educationCategory(v.eqfRequired ?? 0);
  if (edu) {
    out.educationRequirements = {
      '@type': 'EducationalOccupationalCredential',
      credentialCategory: edu,
      name: `EQF ${v.eqfRequired}`,
    };
  }
  if (v.skills && v.skills.length > 0) out.skills = v.skills.join(', ');
  if (v.positions != null) out.totalJobOpenings = v.positions;
  if (v.experienceYears && v.experienceYears > 0) {
    out.experienceRequirements = {
      '@type': 'OccupationalExperienceRequirements',
      monthsOfExperience: v.experienceYears * 12,
    };
  }
  if (v.startDate) out.jobStartDate = day(v.startDate);
  if (v.weeklyHours) out.workHours = `${v.weeklyHours} h/week`;
  return out;
}
