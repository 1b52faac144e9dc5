import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { registerCertificateRoutes } from './web/certificate-routes.tsx';

/** Certificates by self-service (issue 8): the SAP and the certificate of employment status (C2 storico), signed PDFs verifiable at /verifica. */
export async function wireCertificates(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  registerCertificateRoutes(routes, { db: deps.db, audit: deps.audit, config: deps.config });
}
