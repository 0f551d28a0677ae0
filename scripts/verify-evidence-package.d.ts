/** Verifies a Lexecon evidence package (a BagIt zip) against the signing key's public half. */
export function verifyEvidencePackage(
  zip: Buffer,
  publicKeyPem: string,
): { ok: boolean; problems: string[]; bagInfo: Record<string, string> };
