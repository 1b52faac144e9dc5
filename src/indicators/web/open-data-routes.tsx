import { z } from 'zod';
import type { CaseworkPorts } from '../../casework/deps.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  INDICATORS,
  type Period,
  parsePeriod,
  SUPPRESSION_THRESHOLD,
  TARGETS,
} from '../domain/indicators.ts';
import { openDataRows } from '../use-cases/dashboard.ts';
import { romeDay } from '../use-cases/facts.ts';
import { sendCsv } from './indicator-routes.tsx';

export const LICENCE = { name: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/' };

const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 40) : '');

type Asked = { ok: true; period: Period } | { ok: false; message: string };

/** The period of an export: ?dal=&al= (YYYY-MM-DD), by default the last 90 days. */
function askedPeriod(query: unknown, t: (k: string) => string): Asked {
  const q = (query ?? {}) as Record<string, unknown>;
  const p = parsePeriod(str(q.dal), str(q.al), romeDay(new Date()));
  if (!p.ok)
    return {
      ok: false,
      message: [p.errors.from, p.errors.to]
        .filter(Boolean)
        .map((k) => t(k!))
        .join(' '),
    };
  return p;
}

/** The metadata that travels with the figures (definitions in English, the reference language of the file). */
export function metadata(region: string, period: Period) {
  const t = translator('en');
  return {
    title: 'Sportello Lavoro — indicators from operational data',
    region,
    period,
    licence: LICENCE,
    suppression: `Cells about fewer than ${SUPPRESSION_THRESHOLD} people are left blank (value null, suppressed true).`,
    documentation: '/dati-aperti/indicatori',
    indicators: INDICATORS.map((d) => ({
      id: d.id,
      kind: d.kind,
      name: t(`indicators.names.${d.id}`),
      definition: t(`indicators.help.${d.id}`),
    })),
    targets: [...TARGETS] as string[],
  };
}

export const OpenDataResponse = z
  .object({
    metadata: z.object({
      title: z.string(),
      region: z.string(),
      period: z.object({ from: z.string(), to: z.string() }),
      licence: z.object({ name: z.string(), url: z.string() }),
      suppression: z.string(),
      documentation: z.string(),
      indicators: z.array(
        z.object({ id: z.string(), kind: z.string(), name: z.string(), definition: z.string() }),
      ),
      targets: z.array(z.string()),
    }),
    data: z.array(
      z.object({
        indicator: z.string(),
        kind: z.string(),
        dimension: z.string(),
        target: z.string(),
        value: z.number().nullable(),
        suppressed: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'OpenIndicators' });

/** Public, anonymised, Region-level exports at stable URLs, and the same in the API. */
export function registerOpenDataRoutes(routes: RouteCatalogue, deps: CaseworkPorts): void {
  const region = deps.defaultRegion;

  routes.get('/dati-aperti/indicatori.json', 'public', async (req, reply) => {
    const asked = askedPeriod(req.query, req.ctx.t);
    if (!asked.ok) return reply.status(400).send({ error: 'invalid_period', message: asked.message });
    const data = await openDataRows(deps.db, region, asked.period);
    return reply
      .header('Cache-Control', 'public, max-age=3600')
      .type('application/json; charset=utf-8')
      .send({ metadata: metadata(region, asked.period), data });
  });

  routes.get('/dati-aperti/indicatori.csv', 'public', async (req, reply) => {
    const asked = askedPeriod(req.query, req.ctx.t);
    if (!asked.ok) return reply.status(400).type('text/plain; charset=utf-8').send(asked.message);
    const data = await openDataRows(deps.db, region, asked.period);
    const lines = [
      '# licence: CC-BY-4.0; suppression: cells about fewer than 10 people are blank; definitions: /dati-aperti/indicatori',
      'region,period_from,period_to,indicator,kind,dimension,target,value,suppressed',
      ...data.map((r) =>
        [
          region,
          asked.period.from,
          asked.period.to,
          r.indicator,
          r.kind,
          /[",\n]/.test(r.dimension) ? `"${r.dimension.replace(/"/g, '""')}"` : r.dimension,
          r.target,
          r.value === null ? '' : String(r.value),
          r.suppressed ? 'true' : 'false',
        ].join(','),
      ),
    ];
    return sendCsv(
      reply,
      `indicatori-${region}-${asked.period.from}-${asked.period.to}.csv`,
      `${lines.join('\r\n')}\r\n`,
      true,
    );
  });

  routes.get('/dati-aperti/indicatori', 'public', async (req, reply) => {
    const ctx: RequestContext = req.ctx;
    const { t } = ctx;
    const title = t('indicators.open.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        <p class="lead">{t('indicators.open.lead')}</p>
        <ul>
          <li>
            <a href="/dati-aperti/indicatori.csv">{t('indicators.open.csv')}</a>
          </li>
          <li>
            <a href="/dati-aperti/indicatori.json">{t('indicators.open.json')}</a>
          </li>
        </ul>
        <p>{t('indicators.open.period')}</p>
        <p>
          {t('indicators.suppression', { n: SUPPRESSION_THRESHOLD })}{' '}
          <a href={LICENCE.url} hreflang="en">
            {t('indicators.open.licence')}
          </a>
        </p>
        <h2 class="h4">{t('indicators.open.definitions')}</h2>
        <dl>
          {INDICATORS.map((d) => (
            <>
              <dt>{t(`indicators.names.${d.id}`)}</dt>
              <dd>{t(`indicators.help.${d.id}`)}</dd>
            </>
          ))}
        </dl>
      </Layout>,
    );
  });

  deps.api.addPublic({
    method: 'GET',
    path: '/open-data/indicators',
    summary:
      'Anonymised Region-level indicators (CC-BY 4.0; cells under 10 people suppressed); ?dal=&al= YYYY-MM-DD',
    tag: 'open-data',
    response: OpenDataResponse,
    handler: async ({ req }) => {
      const asked = askedPeriod(req.query, translator('en'));
      if (!asked.ok) return { status: 400, error: 'invalid_period', message: asked.message };
      const data = await openDataRows(deps.db, region, asked.period);
      return { status: 200, body: { metadata: metadata(region, asked.period), data } };
    },
  });
}
