import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Provider from 'oidc-provider';
import { DEMO_IDENTITIES } from './demo-identities.ts';
import { FISCAL_NUMBER_CLAIM, SPID_L2 } from './eid-relying-party.ts';

/**
 * Demo mode only: a local OpenID Connect provider (oidc-provider) that plays SPID and CIE with the
 * documented test identities. Mounted at /dev/idp; it never runs in production mode.
 */
export const DEMO_IDP_PATH = '/dev/idp';
export const DEMO_CLIENT_ID = 'sportello-lavoro-demo';

function signingKey(dataDir: string): Record<string, unknown> {
  const file = path.join(dataDir, 'demo-idp-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'demo-idp-1', use: 'sig', alg: 'RS256' };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

export function createDemoIdentityProvider(options: {
  publicUrl: string;
  clientSecret: string;
  cookieSecret: string;
  dataDir: string;
}): Provider {
  const issuer = `${options.publicUrl}${DEMO_IDP_PATH}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_secret: options.clientSecret,
        redirect_uris: [`${options.publicUrl}/accedi/eid/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey(options.dataDir)] },
    cookies: { keys: [options.cookieSecret] },
    pkce: { required: () => true },
    acrValues: ['https://www.spid.gov.it/SpidL1', SPID_L2, 'https://www.spid.gov.it/SpidL3'],
    claims: {
      openid: ['sub'],
      profile: ['given_name', 'family_name', 'birthdate'],
      email: ['email'],
      phone: ['phone_number'],
      [FISCAL_NUMBER_CLAIM]: null,
      acr: null,
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      userinfo: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `${DEMO_IDP_PATH}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const who = DEMO_IDENTITIES.find((i) => i.id === sub);
      if (!who) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          given_name: who.givenName,
          family_name: who.familyName,
          birthdate: who.birthdate,
          ...(who.email ? { email: who.email } : {}),
          ...(who.phone ? { phone_number: who.phone } : {}),
          [FISCAL_NUMBER_CLAIM]: `TINIT-${who.fiscalCode}`,
        }),
      };
    },
    ttl: {
      Interaction: 600,
      Session: 600,
      Grant: 600,
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `Demo identity provider error: ${String(out.error)} ${String(out.error_description ?? '')}`;
    },
  });
  provider.proxy = false;
  return provider;
}

/** Sign the chosen identity in and grant the claims the client asked for. */
export async function finishDemoLogin(
  provider: Provider,
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
  identityId: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const clientId = String(details.params.client_id ?? '');
  const grant = new provider.Grant({ accountId: identityId, clientId });
  grant.addOIDCScope('openid profile email phone');
  grant.addOIDCClaims([
    'given_name',
    'family_name',
    'birthdate',
    'email',
    'phone_number',
    FISCAL_NUMBER_CLAIM,
  ]);
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: identityId, acr: SPID_L2, amr: ['pwd', 'otp'] }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}
