import { z } from 'zod';
import { NO_CONTROL_CHARS } from '../../platform/http/forms.ts';
import { ACTIVITY_KINDS, AGENCY_SERVICES, isIsoDay, MAX_NOTE } from '../domain/services.ts';

/** Form pieces shared by the agencies' pages; messages are i18n keys. */
export const day = z.string().trim().refine(isIsoDay, 'agencies.errors.date');
export const service = z.enum(AGENCY_SERVICES, { message: 'errors.choose' });
export const activityKind = z.enum(ACTIVITY_KINDS, { message: 'errors.choose' });
export const text = (max = MAX_NOTE) =>
  z
    .string()
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
    .transform((s) => s.trim());
export const optionalText = (max = MAX_NOTE) =>
  text(max)
    .optional()
    .transform((s) => s ?? '');
