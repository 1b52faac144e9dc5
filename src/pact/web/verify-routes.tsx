import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyBadgeByCode } from '../../badges/use-cases/verify.ts';
import { BadgeVerifyPage } from '../../badges/web/badge-result.tsx';
import { certificateByCode, isCertificateKind } from '../../certificates/use-cases/certificates.ts';
import { CertificateVerifyDetails } from '../../certificates/web/verify-details.tsx';
import { verifyDocument } from '../../onboarding/use-cases/did.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { looksLikePdf, readMultipart } from '../../platform/http/uploads.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { pactSignaturesByCode, sha256Of } from '../use-cases/pact.ts';
import type { PactDeps } from '../wiring.ts';

/**
 * Public check of an issued document (the DID receipt, the signed pact): valid, revoked or unknown;
 * for a pact the signatures too; and a PDF someone holds compared, by its SHA-256, with the original.
 */
export function registerVerifyRoutes(routes: RouteCatalogue, deps: PactDeps): void {
  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { errors?: FieldErrors; compared?: 'identical' | 'different' } = {},
    status?: number,
  ) => {
    const { t, lang } = req.ctx;
    const code = String((req.params as { code: string }).code)
      .toUpperCase()
      .slice(0, 20);
    const doc = await verifyDocument(deps, code);
    if (!doc) {
      // Not a document: perhaps a digital badge (they have their own codes).
      const badge = await verifyBadgeByCode(deps.db, code, new Date());
      if (badge) return sendPage(reply, <BadgeVerifyPage ctx={req.ctx} result={badge} />);
    }
    const signatures = doc?.kind === 'pact' ? await pactSignaturesByCode(deps, code) : [];
    // Certificates (SAP, C2 storico): kind, holder's initials, issue date, revocation, download.
    const certificate = doc && isCertificateKind(doc.kind) ? await certificateByCode(deps.db, code) : null;
    const fmt = dateTimeFormat(lang, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Rome',
    });
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('verify.title')}>
        <h1>{t('verify.title')}</h1>
        <ErrorSummary ctx={req.ctx} errors={opts.errors ?? {}} />
        {opts.compared === 'identical' && (
          <div class="alert alert-success" role="status">
            {t('verify.identical')}
          </div>
        )}
        {opts.compared === 'different' && (
          <div class="alert alert-danger" role="status">
            {t('verify.different')}
          </div>
        )}
        {!doc ? (
          <div class="alert alert-danger" role="status">
            {t('verify.unknown', { code })}
          </div>
        ) : doc.revoked_at ? (
          <div class="alert alert-warning" role="status">
            {t('verify.revoked', { date: fmt.format(doc.revoked_at) })}
          </div>
        ) : (
          <>
            {!opts.compared && (
              <div class="alert alert-success" role="status">
                {t('verify.valid')}
              </div>
            )}
            <dl class="sl-dl">
              <dt>{t('verify.document')}</dt>
              <dd>{doc.title}</dd>
              <dt>{t('verify.issued')}</dt>
              <dd>{fmt.format(doc.issued_at)}</dd>
              <dt>{t('verify.fingerprint')}</dt>
              <dd>
                <code class="sl-secret">{doc.sha256}</code>
              </dd>
            </dl>
            <p class="small">{t('verify.fingerprintHelp')}</p>
            {signatures.length > 0 && (
              <>
                <h2 class="h4 mt-4">{t('verify.signaturesHeading')}</h2>
                <ul>
                  {signatures.map((s) => (
                    <li>
                      {t('verify.signatureLine', {
                        party: t(`pact.parties.${s.party}`),
                        when: fmt.format(s.signed_at),
                        method: t(`pact.methods.${s.method}`),
                      })}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
        {certificate && <CertificateVerifyDetails ctx={req.ctx} code={code} info={certificate} />}
        {doc && (
          <>
            <h2 class="h4 mt-4">{t('verify.compareHeading')}</h2>
            <p>{t('verify.compareIntro')}</p>
            <form method="post" action={`/verifica/${code}`} enctype="multipart/form-data" novalidate>
              <CsrfField ctx={req.ctx} />
              <div class="form-group mb-4">
                <label for="file" class="active sl-label">
                  {t('verify.fileLabel')}
                </label>
                <input
                  id="file"
                  name="file"
                  type="file"
                  accept="application/pdf,.pdf"
                  class="form-control"
                  aria-invalid={opts.errors?.file ? 'true' : undefined}
                  aria-describedby={opts.errors?.file ? 'file-error' : undefined}
                />
                {opts.errors?.file && (
                  <div id="file-error" class="sl-field-error">
                    {opts.errors.file}
                  </div>
                )}
              </div>
              <button type="submit" class="btn btn-primary">
                {t('verify.compareButton')}
              </button>
            </form>
          </>
        )}
      </Layout>,
      status ?? (doc ? 200 : 404),
    );
  };

  routes.get('/verifica/:code', 'public', async (req, reply) => page(req, reply));

  routes.post('/verifica/:code', 'public', async (req, reply) => {
    const code = String((req.params as { code: string }).code)
      .toUpperCase()
      .slice(0, 20);
    const doc = await verifyDocument(deps, code);
    if (!doc) return page(req, reply, {}, 404);
    const { files } = await readMultipart(req.body);
    const file = files.find((f) => f.field === 'file');
    if (!file || file.data.length === 0)
      return page(req, reply, { errors: { file: req.ctx.t('verify.errors.noFile') } }, 400);
    if (file.truncated) {
      const mb = Math.floor(deps.config.uploadMaxBytes / 1048576);
      return page(req, reply, { errors: { file: req.ctx.t('upload.tooLarge', { mb }) } }, 400);
    }
    if (!looksLikePdf(file.data))
      return page(req, reply, { errors: { file: req.ctx.t('verify.errors.notPdf') } }, 400);
    const same = sha256Of(file.data) === doc.sha256;
    return page(req, reply, { compared: same ? 'identical' : 'different' }, 200);
  });
}
