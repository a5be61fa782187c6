/** What Thunk says about one certificate of a signature (the report model's shape). */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  sha1: string;
  sha256: string;
  /** KeyUsage names (digitalSignature, ...); null when the extension is absent. */
  keyUsage: string[] | null;
  /** Extended key usage OIDs; null when the extension is absent (any purpose). */
  extendedKeyUsage: string[] | null;
  selfSigned: boolean;
}

/** Where the chain carried in the signature ends, and what Thunk knows of that root. */
export interface TrustReport {
  /** The root (self-signed) or last certificate the chain reaches. */
  chainEnd: { subject: string; sha1: string; sha256: string; selfSigned: boolean };
  /** The root in Thunk's list of Windows code-signing roots the chain ends at (or is issued by); null when none. */
  windowsRoot: { name: string; sha1: string; sha256: string } | null;
  /** The list consulted: its date and where its entries come from. */
  rootList: { date: string; source: string };
  /**
   * Windows' own verdict (WinVerifyTrust, through the agent's 'trust' op: node-services/agent/ask-windows.ts),
   * in one line; null: not asked (`thunk verify --ask-windows`, on by default on Windows). Under Wine
   * it is Wine's answer and says so: Wine 8.0 answers TRUST_E_BAD_DIGEST for a modified file but
   * success for a test-root chain, so only Windows can test the trust verdict itself.
   */
  windowsVerdict: string | null;
}

export type TimestampKind = 'rfc3161' | 'countersignature';

/** A timestamp on a signature, verified on its own. */
export interface TimestampReport {
  kind: TimestampKind;
  /** The time the timestamp authority vouches for (ISO 8601); null when unreadable. */
  time: string | null;
  status: 'valid' | 'invalid';
  signer: CertificateSummary | null;
  /** The timestamp authority's chain inside the signature, its certificate first. */
  chain: CertificateSummary[];
  /** Where the authority's chain ends; null when its certificate is missing. */
  trust: TrustReport | null;
  digestAlgorithm: string | null;
  reasons: string[];
}

/** How the signer certificate's validity period was judged. */
export type ValidityCase =
  | 'valid-now'
  | 'expired-timestamped'
  | 'expired-no-timestamp'
  | 'not-yet-valid'
  | 'outside-validity-at-timestamp'
  | 'lifetime-signing-expired';

export type SignatureStatus = 'valid' | 'invalid' | 'malformed';

/** One Authenticode signature (the primary one, or one nested in it). */
export interface SignatureReport {
  /** 0 for the primary signature; 1.. for nested ones, in file order. */
  index: number;
  nested: boolean;
  status: SignatureStatus;
  digest: {
    /** The algorithm the signature names for the image hash (sha1, sha256, ...). */
    algorithm: string | null;
    /** Hex of the digest stored in the signature's SpcIndirectDataContent. */
    signed: string | null;
    /** Hex of the digest Thunk computed over the file. */
    computed: string | null;
    matches: boolean | null;
  };
  signer: CertificateSummary | null;
  /** The chain inside the signature, signer first. */
  chain: CertificateSummary[];
  trust: TrustReport | null;
  programName: string | null;
  programUrl: string | null;
  timestamp: TimestampReport | null;
  validity: ValidityCase | null;
  /** Why the status is what it is, and notes worth knowing; the first ones explain an invalid status. */
  reasons: string[];
}

/** Everything Thunk found about a file's Authenticode signatures. */
export interface FileSignatureReport {
  /** The primary signature's status, or unsigned/malformed for the file as a whole. */
  status: 'valid' | 'invalid' | 'unsigned' | 'malformed';
  signatures: SignatureReport[];
  /** Structural problems of the certificate table itself (truncated, misaligned, ...). */
  problems: string[];
  /** For unsigned files: catalog signing cannot be checked off Windows. */
  catalogNote: string | null;
}
