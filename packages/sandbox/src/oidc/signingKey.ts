import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  JWK,
  JWTPayload,
  KeyLike,
  SignJWT,
} from 'jose';

/** Tokens the identity provider hands out live this long (seconds). */
export const TOKEN_LIFETIME_SECONDS = 3600;

/**
 * The identity provider's RS256 key, made on first use (most sandboxes never sign anyone in,
 * and RSA key generation is the slow part of starting one). Relying parties find it in the JWKS
 * by its `kid`, the key's thumbprint, so a sandbox restarted with a new key is picked up.
 */
export class SigningKey {
  private key?: Promise<{ privateKey: KeyLike; jwk: JWK }>;

  private load() {
    this.key ??= (async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const jwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      return {
        privateKey,
        jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' },
      };
    })();
    return this.key;
  }

  /** The public half, as the JWKS document lists it. */
  async publicJwk(): Promise<JWK> {
    return (await this.load()).jwk;
  }

  /** A JWT of `claims`, issued now and expiring after the token lifetime. */
  async sign(claims: JWTPayload): Promise<string> {
    const { privateKey, jwk } = await this.load();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: jwk.kid })
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
      .sign(privateKey);
  }
}
