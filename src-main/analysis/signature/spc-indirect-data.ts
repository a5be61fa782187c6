import * as asn1js from 'asn1js';
import { MalformedSignatureError, childrenOf, isContextTag, octetStringBytes, oidOf } from './asn1.ts';
import { OID, digestName } from './oids.ts';

/** What an Authenticode signature says about the file it signs. */
export interface IndirectData {
  /** The data type signed: SPC_PE_IMAGE_DATAOBJ for PE files. */
  dataType: string;
  digestAlgorithmOid: string;
  /** Node's name for the algorithm; null when unknown. */
  digestAlgorithm: string | null;
  digest: Buffer;
  /** True when SpcPeImageData carries page hashes (a serialized-object moniker): not checked by Thunk. */
  pageHashes: boolean;
}

function hasPageHashes(value: asn1js.AsnType | undefined): boolean {
  // SpcPeImageData ::= SEQUENCE { flags BIT STRING, file [0] EXPLICIT SpcLink }; SpcLink's moniker is [1].
  const file = childrenOf(value).find((child) => isContextTag(child, 0));
  return childrenOf(file).some((link) => isContextTag(link, 1));
}

/** Reads SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }. */
export function readIndirectData(content: asn1js.AsnType): IndirectData {
  const [data, digestInfo] = childrenOf(content);
  if (!(content instanceof asn1js.Sequence) || !data || !digestInfo) throw new MalformedSignatureError('SpcIndirectDataContent is not a SEQUENCE of data and DigestInfo');
  const [dataTypeNode, dataValue] = childrenOf(data);
  const [algorithm, digestNode] = childrenOf(digestInfo);
  const digestAlgorithmOid = oidOf(childrenOf(algorithm)[0], 'the DigestInfo algorithm');
  return {
    dataType: oidOf(dataTypeNode, 'the signed data type'),
    digestAlgorithmOid,
    digestAlgorithm: digestName(digestAlgorithmOid),
    digest: octetStringBytes(digestNode, 'the DigestInfo digest'),
    pageHashes: oidOf(dataTypeNode, 'the signed data type') === OID.spcPeImageData && hasPageHashes(dataValue),
  };
}
