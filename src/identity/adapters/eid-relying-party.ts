import * as oidc from 'openid-client';
import type { Db } from '../../platform/db/database.ts';

/**
 * SPID and CIE sign-in by OpenID Connect: authorization code with PKCE (S256), state and nonce,
 * SPID level 2 requested through acr_values, the Italian eID claims asked through `claims`.
 */
export type EidProvider = 'spid' | 'cie';

export const FISCAL_NUMBER_CLAIM = 'https://attributes.eid.gov.it/fiscal_number';
export const SPID_L2 = 'https://www.spid.gov.it/SpidL2';

const REQUESTED_CLAIMS = {
  given_name: { essential: true },
  family_name: { essential: true },
  birthdate: null,
  email: null,
  phone_number: null,
  [FISCAL_NUMBER_CLAIM]: { essential: true },
};

export type EidIdentity = {
  provider: EidProvider;
  subject: string;
  fiscalNumber: string;
  givenName: string;
  familyName: string;
  birthdate: string | null;
  email: string | null;
  phone: string | null;
  acr: string | null;
  /** Why the flow was started: to sign in, or to confirm an action of a signed-in person. */
  purpose: EidPurpose;
  /** Where a confirmation returns (a local path checked when the flow started). */
  returnTo: string | null;
};

export type EidPurpose = 'sign_in' | 'confirm';

export type EidRelyingPartyOptions = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  allowHttp: boolean;
};

const TRANSACTION_TTL_MS = 10 * 60 * 1000;

export class EidRelyingParty {
  private configuration: Promise<oidc.Configuration> | null = null;
  constructor(
    private readonly db: Db,
    private readonly options: EidRelyingPartyOptions,
  ) {}

  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(
        new URL(this.options.issuer),
        this.options.clientId,
        undefined,
        oidc.ClientSecretBasic(this.options.clientSecret),
        this.options.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        this.configuration = null;
        throw error;
      });
    return this.configuration;
  }

  /** Returns the address of the identity provider and the state to bind to the browser. */
  async start(
    provider: EidProvider,
    intent: { purpose: EidPurpose; returnTo: string | null } = { purpose: 'sign_in', returnTo: null },
  ): Promise<{ url: string; state: string }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await this.db
      .deleteFrom('oidc_transactions')
      .where('created_at', '<', new Date(Date.now() - TRANSACTION_TTL_MS))
      .execute();
    await this.db
      .insertInto('oidc_transactions')
      .values({
        state,
        code_verifier: codeVerifier,
        nonce,
        provider,
        purpose: intent.purpose,
        return_to: intent.returnTo,
      })
      .execute();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: 'openid profile email',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      acr_values: SPID_L2,
      prompt: 'login consent',
      claims: JSON.stringify({ id_token: REQUESTED_CLAIMS, userinfo: REQUESTED_CLAIMS }),
      ui_locales: 'it',
    });
    return { url: url.toString(), state };
  }

  /** Completes the flow; throws when state, nonce, PKCE or the token are wrong. */
  async finish(currentUrl: URL, browserState: string | undefined): Promise<EidIdentity> {
    const state = currentUrl.searchParams.get('state');
    if (!state || !browserState || state !== browserState) throw new Error('state mismatch');
    const tx = await this.db
      .deleteFrom('oidc_transactions')
      .where('state', '=', state)
      .returningAll()
      .executeTakeFirst();
    if (!tx || tx.created_at.getTime() < Date.now() - TRANSACTION_TTL_MS)
      throw new Error('unknown or expired transaction');
    const config = await this.config();
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: tx.code_verifier,
      expectedState: tx.state,
      expectedNonce: tx.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no id_token');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    const all: Record<string, unknown> = { ...info, ...idClaims };
    const str = (k: string) => (typeof all[k] === 'string' ? (all[k] as string) : null);
    const fiscalNumber = str(FISCAL_NUMBER_CLAIM);
    const givenName = str('given_name');
    const familyName = str('family_name');
    if (!fiscalNumber || !givenName || !familyName) throw new Error('missing essential claims');
    return {
      provider: tx.provider === 'cie' ? 'cie' : 'spid',
      subject: idClaims.sub,
      fiscalNumber,
      givenName,
      familyName,
      birthdate: str('birthdate'),
      email: str('email'),
      phone: str('phone_number'),
      acr: typeof idClaims.acr === 'string' ? idClaims.acr : null,
      purpose: tx.purpose,
      returnTo: tx.return_to,
    };
  }
}
