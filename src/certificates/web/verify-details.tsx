import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { CertificateKind, CertificateLang } from '../adapters/certificate-tables.ts';

export type CertificateVerification = {
  kind: CertificateKind;
  lang: CertificateLang;
  issuedAt: Date;
  revokedAt: Date | null;
  initials: string;
};

/**
 * What /verifica/<code> adds for a SAP or a C2 storico: the kind, the holder's initials only, the
 * issue date, whether it was revoked, and the download of the very bytes that were issued.
 */
export function CertificateVerifyDetails(props: {
  ctx: RequestContext;
  code: string;
  info: CertificateVerification;
}) {
  const { t, lang } = props.ctx;
  const fmt = dateTimeFormat(lang, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  const { info } = props;
  return (
    <section aria-labelledby="certificate-heading">
      <h2 class="h4 mt-4" id="certificate-heading">
        {t('certificates.verifyPage.heading')}
      </h2>
      <dl class="sl-dl">
        <dt>{t('certificates.verifyPage.kind')}</dt>
        <dd>{t(`certificates.kinds.${info.kind}.title`)}</dd>
        <dt>{t('certificates.verifyPage.holder')}</dt>
        <dd>{info.initials}</dd>
        <dt>{t('certificates.verifyPage.issued')}</dt>
        <dd>{fmt.format(info.issuedAt)}</dd>
        <dt>{t('certificates.verifyPage.state')}</dt>
        <dd>
          {info.revokedAt
            ? `${t('certificates.verifyPage.revoked')} (${fmt.format(info.revokedAt)})`
            : t('certificates.verifyPage.valid')}
        </dd>
      </dl>
      <p>
        <a href={`/verifica/${props.code}/pdf`} class="btn btn-outline-primary">
          {t('certificates.verifyPage.download')}
        </a>
      </p>
      <p class="small">{t('certificates.verifyPage.downloadHelp')}</p>
    </section>
  );
}
