import * as asn1js from 'asn1js';

/** A DER structure that is not what Authenticode says it should be. */
export class MalformedSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedSignatureError';
  }
}

/** Parses one DER value that must fill `bytes` exactly; throws MalformedSignatureError otherwise. */
export function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) throw new MalformedSignatureError(`${what} is not valid DER (${parsed.result.error || 'cannot be decoded'})`);
  if (parsed.offset !== bytes.byteLength) throw new MalformedSignatureError(`${what} ends after ${parsed.offset} of its ${bytes.byteLength} bytes`);
  return parsed.result;
}

/** The bytes a node was decoded from (tag, length and value). */
export function encodedBytes(node: asn1js.AsnType): Buffer {
  const view = (node as asn1js.BaseBlock).valueBeforeDecodeView;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** The value octets of a decoded node, without its tag and length: what CMS digests for content. */
export function valueBytes(node: asn1js.AsnType, what: string): Buffer {
  const block = node as asn1js.BaseBlock;
  if (block.lenBlock.isIndefiniteForm) throw new MalformedSignatureError(`${what} uses a BER indefinite length, which Authenticode does not allow`);
  return encodedBytes(node).subarray(block.idBlock.blockLength + block.lenBlock.blockLength);
}

/** The children of a constructed node (empty for a primitive one). */
export function childrenOf(node: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const value = (node as asn1js.Constructed | undefined)?.valueBlock?.value;
  return Array.isArray(value) ? value : [];
}

/** True for a context-specific tag [number]. */
export function isContextTag(node: asn1js.AsnType | undefined, number: number): boolean {
  return node !== undefined && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === number;
}

/** The dotted text of an OBJECT IDENTIFIER node; throws when it is not one. */
export function oidOf(node: asn1js.AsnType | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw new MalformedSignatureError(`${what} is not an object identifier`);
  return node.valueBlock.toString();
}

/** The bytes of an OCTET STRING, primitive or constructed (pkijs splits long ones into chunks). */
export function octetStringBytes(node: asn1js.AsnType | undefined, what: string): Buffer {
  if (!(node instanceof asn1js.OctetString)) throw new MalformedSignatureError(`${what} is not an OCTET STRING`);
  if (!node.idBlock.isConstructed) return Buffer.from(node.valueBlock.valueHexView);
  return Buffer.concat(childrenOf(node).map((chunk) => octetStringBytes(chunk, what)));
}

/** Hex of an INTEGER's magnitude without leading zero octets, upper case (as X509Certificate.serialNumber). */
export function integerHex(node: asn1js.Integer): string {
  const hex = Buffer.from(node.valueBlock.valueHexView).toString('hex').replace(/^(00)+(?=.)/, '');
  return hex.toUpperCase();
}
