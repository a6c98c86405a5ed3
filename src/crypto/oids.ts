/** Object identifiers used by Kelisim's CMS packages (RFC 5652, 5083, 5084, 2634, 5035, 5753, 8017). */
export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  authEnvelopedData: "1.2.840.113549.1.9.16.1.23",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  securityLabel: "1.2.840.113549.1.9.16.2.2",
  equivalentLabels: "1.2.840.113549.1.9.16.2.9",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
  ecPublicKey: "1.2.840.10045.2.1",
  secp384r1: "1.3.132.0.34",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsaesOaep: "1.2.840.113549.1.1.7",
  mgf1: "1.2.840.113549.1.1.8",
  aes256Gcm: "2.16.840.1.101.3.4.1.46",
  aes256Wrap: "2.16.840.1.101.3.4.1.45",
  /** dhSinglePass-stdDH-sha384kdf-scheme (RFC 5753). */
  ecdhStdSha384Kdf: "1.3.132.1.11.2",
  /**
   * Kelisim's own arc, a UUID OID (X.667) generated for this project; below it:
   * .1 package-piece attribute (package id, piece index, piece count) in a piece's authAttrs;
   * .2 package-info attribute (package id, piece count, total size, piece size) in the manifest.
   */
  kelisimArc: "2.25.78077241386024408114928126303366638153",
  packagePiece: "2.25.78077241386024408114928126303366638153.1",
  packageInfo: "2.25.78077241386024408114928126303366638153.2",
} as const;
