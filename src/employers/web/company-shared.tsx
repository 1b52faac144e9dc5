import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkPassword } from '../../identity/domain/password-policy.ts';
import { NO_CONTROL_CHARS } from '../../platform/http/forms.ts';
import { ErrorPage } from '../../platform/ui/error-page.tsx';
import type { FieldErrors } from '../../platform/ui/forms.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { ATECO_SECTIONS, checkAtecoCode } from '../domain/ateco.ts';
import { type CompanyDeps, companyRoleOf } from '../use-cases/company.ts';

export const SIZE_BANDS = ['micro', 'small', 'medium', 'large'] as const;
export const COMPANY_ROLES = ['admin', 'recruiter'] as const;

export const text = (max: number) =>
  z.string().trim().max(max, 'errors.tooLong').regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');
export const requiredText = (min: number, max: number, minKey = 'errors.required') =>
  text(max).pipe(z.string().min(1, 'errors.required').min(min, minKey));
export const mobile = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ]{6,20}$/, 'company.errors.mobile')
  .transform((v) => v.replace(/\s+/g, ''));
export const atecoSection = z.enum(ATECO_SECTIONS, { message: 'company.errors.atecoSection' });
export const sizeBand = z.enum(SIZE_BANDS, { message: 'errors.choose' });
export const atecoCodeField = z.string().trim().max(10, 'company.errors.atecoFormat').default('');

/** An ATECO code that does not match its section, or a password the policy refuses: one message each. */
export function crossFieldErrors(
  t: (key: string, values?: Record<string, unknown>) => string,
  data: { atecoSection: string; atecoCode: string },
  password?: { value: string; email: string },
): FieldErrors {
  const errors: FieldErrors = {};
  if (data.atecoCode) {
    const check = checkAtecoCode(data.atecoSection, data.atecoCode);
    if (!check.ok)
      errors.atecoCode =
        check.reason === 'section'
          ? t('company.errors.atecoSectionMismatch', { section: check.section ?? '' })
          : t(check.reason === 'format' ? 'company.errors.atecoFormat' : 'company.errors.atecoDivision');
  }
  if (password) {
    const problem = checkPassword(password.value, password.email);
    if (problem) errors.password = t(`password.${problem}`);
  }
  return errors;
}

/** The options of the size band radio group. */
export const sizeOptions = (t: (k: string) => string) =>
  SIZE_BANDS.map((s) => ({ value: s, label: t(`company.sizes.${s}`) }));
export const sectionOptions = (t: (k: string) => string) => [
  { value: '', label: t('form.choose') },
  ...ATECO_SECTIONS.map((s) => ({ value: s, label: `${s} — ${t(`profile.ateco.${s}`)}` })),
];

/**
 * Company admin pages: a recruiter (or a disabled account) gets the 403 page and an `authz.refused`
 * audit entry, like the central guard does for roles. Returns true when the caller is an admin.
 */
export async function requireCompanyAdmin(
  deps: CompanyDeps,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const user = req.ctx.user!;
  if ((await companyRoleOf(deps.db, user)) === 'admin') return true;
  await deps.audit.record({
    regionCode: user.regionCode,
    action: 'authz.refused',
    outcome: 'refused',
    actor: {
      id: user.id,
      role: user.role,
      regionCode: user.regionCode,
      officeId: user.officeId,
      agencyId: user.agencyId,
    },
    details: { method: req.method, path: req.ctx.path, need: 'company_admin' },
  });
  sendPage(
    reply,
    ErrorPage({
      ctx: req.ctx,
      status: 403,
      title: req.ctx.t('errors.forbiddenTitle'),
      body: req.ctx.t('company.adminOnly'),
    }),
    403,
  );
  return false;
}
