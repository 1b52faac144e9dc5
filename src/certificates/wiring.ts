import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** Certificates by self-service (issue 8): the SAP and the certificate of employment status (C2 storico), signed PDFs verifiable at /verifica. */
export async function wireCertificates(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
