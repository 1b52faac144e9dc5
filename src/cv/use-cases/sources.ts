import { badgesOf } from '../../badges/use-cases/badges-of.ts';
import type { Db } from '../../platform/db/database.ts';
import { assessedSkills } from '../../skills/use-cases/assessed-skills.ts';

/**
 * What the CV reads from the skills and badges contexts, behind a port so that the use cases can be
 * tested with any data. `platformSources` is the real one (wiring.ts).
 */
export type AssessedSkill = {
  uri: string;
  labelIt: string | null;
  labelEn: string | null;
  level: unknown;
  validated: boolean;
};
export type CitizenBadge = { id: string; name: string; issuedAt: Date; verifyUrl: string; revoked: boolean };

export type CvSources = {
  assessedSkills: (db: Db, regionCode: string, citizenId: string) => Promise<AssessedSkill[]>;
  badgesOf: (db: Db, regionCode: string, citizenId: string) => Promise<CitizenBadge[]>;
};

export const platformSources: CvSources = { assessedSkills, badgesOf };
