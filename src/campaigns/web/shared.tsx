import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import { ErrorPage } from '../../platform/ui/error-page.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { AgeBand, Segment } from '../domain/segment.ts';

export const AGE_KEY: Record<AgeBand, string> = {
  '18-29': 'young',
  '30-49': 'middle',
  '50-59': 'older',
  '60+': 'senior',
};

export function notFound(reply: FastifyReply, ctx: RequestContext) {
  return sendPage(
    reply,
    <ErrorPage
      ctx={ctx}
      status={404}
      title={ctx.t('errors.notFoundTitle')}
      body={ctx.t('errors.notFoundBody')}
    />,
    404,
  );
}

/** The segment's criteria in words, one per item. */
export function segmentWords(ctx: RequestContext, s: Segment): string[] {
  const { t } = ctx;
  const out: string[] = [];
  if (s.tier !== undefined) out.push(t('campaigns.tierN', { tier: s.tier }));
  if (s.province !== undefined) out.push(`${t('campaigns.form.province')}: ${s.province}`);
  if (s.ageBand !== undefined) out.push(t(`campaigns.ages.${AGE_KEY[s.ageBand]}`));
  if (s.inactiveDays !== undefined) out.push(`${t('campaigns.form.inactive')}: ${s.inactiveDays}`);
  return out;
}
