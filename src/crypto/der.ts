/**
 * A small, strict DER encoder and reader for the CMS structures Kelisim writes and reads.
 *
 * Why our own: the package format must be parsed from untrusted input with limits chosen on purpose
 * (size, depth, node count), must refuse any non-DER encoding (so that no byte of a package can be
 * changed without changing a value we check), and must stream the encrypted content of large pieces
 * without holding it in memory. asn1js parses BER leniently and keeps everything in memory.
 */

/** Limits applied to every structure read from untrusted input. */
export type DerLimits = {
  /** Largest total input accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of constructed values. */
  readonly maxDepth: number;
  /** Most TLV nodes in one structure. */
  readonly maxNodes: number;
};

/**
 * Limits for a CMS header, signed message or manifest: 16 MiB, depth 24, 20,000 nodes. A sealed
 * message holds one label pair, one or two certificates and a small content; a manifest lists at
 * most MAX_PIECES pieces. Nothing legitimate comes near; anything bigger is refused before work.
 */
export const CMS_LIMITS: DerLimits = { maxBytes: 16 * 1024 * 1024, maxDepth: 24, maxNodes: 20_000 };

/** A parsed TLV: tag byte, the whole encoding and the content, as views on the input. */
export type Tlv = {
  readonly tag: number;
  readonly constructed: boolean;
  /** Offset of the tag byte within the input. */
  readonly start: number;
  /** Offset of the first content byte within the input. */
  readonly contentStart: number;
  readonly end: number;
  readonly bytes: Uint8Array;
  readonly content: Uint8Array;
};

/** Thrown by the reader on any malformed, non-DER or over-limit input. */
export class DerError extends Error {
  override readonly name = "DerError";
}

// ---------------------------------------------------------------- encoding

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  let n = length;
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The tag and length octets of a value of `contentLength` bytes (used to stream large contents). */
export function encodeHeader(tag: number, contentLength: number): Uint8Array {
  return concatBytes([Uint8Array.of(tag), encodeLength(contentLength)]);
}

/** Encodes one TLV. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const content = concatBytes(contents);
  return concatBytes([encodeHeader(tag, content.length), content]);
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag number n, constructed or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

export const seq = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...items);
export const octets = (value: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, value);
export const utf8 = (value: string): Uint8Array => tlv(TAG.UTF8_STRING, new TextEncoder().encode(value));
export const explicit = (n: number, ...items: readonly Uint8Array[]): Uint8Array =>
  tlv(contextTag(n, true), ...items);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER SET OF: the encoded elements sorted as octet strings (X.690 11.6). */
export function sortedSetContent(elements: readonly Uint8Array[]): Uint8Array {
  return concatBytes([...elements].sort(compareBytes));
}

/** A DER SET OF with the given tag (SET, or an IMPLICIT context tag). */
export function setOf(elements: readonly Uint8Array[], tag: number = TAG.SET): Uint8Array {
  return tlv(tag, sortedSetContent(elements));
}

/** A non-negative INTEGER from a number or big-endian unsigned bytes. */
export function integer(value: number | bigint | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else {
    let n = BigInt(value);
    if (n < 0n) throw new RangeError("negative INTEGER not supported");
    const out: number[] = [];
    do {
      out.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    bytes = Uint8Array.from(out);
  }
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && (bytes[i + 1]! & 0x80) === 0) i++;
  bytes = bytes.subarray(i);
  if ((bytes[0]! & 0x80) !== 0) bytes = concatBytes([Uint8Array.of(0), bytes]);
  return tlv(TAG.INTEGER, bytes);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map((a) => BigInt(a));
  if (arcs.length < 2) throw new RangeError(`bad OID ${dotted}`);
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const v of values) {
    const chunk: number[] = [];
    let n = v;
    do {
      chunk.unshift(Number(n & 0x7fn));
      n >>= 7n;
    } while (n > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

/** GeneralizedTime (for years ≥ 2050) or UTCTime, as RFC 5652 asks for signing time, whole seconds. */
export function time(date: Date): Uint8Array {
  const iso = date.toISOString(); // 2026-11-26T01:02:03.456Z
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(TAG.UTC_TIME, new TextEncoder().encode(compact.slice(2)));
  return tlv(TAG.GENERALIZED_TIME, new TextEncoder().encode(compact));
}

// ---------------------------------------------------------------- reading

/**
 * A strict DER reader over one input. Every TLV read counts against the limits; lengths must be
 * minimal and definite; constructed values must be read to their exact end.
 */
export class DerReader {
  private nodes = 0;
  constructor(
    readonly input: Uint8Array,
    private readonly limits: DerLimits = CMS_LIMITS,
  ) {
    if (input.length > limits.maxBytes) throw new DerError(`input of ${input.length} bytes over the limit`);
  }

  /** Reads the TLV starting at `offset`, which must end at or before `limit`. */
  readAt(offset: number, limit: number, depth: number): Tlv {
    if (depth > this.limits.maxDepth) throw new DerError("nesting too deep");
    if (++this.nodes > this.limits.maxNodes) throw new DerError("too many nodes");
    const header = readHeader(this.input, offset, limit);
    if (header.contentStart + header.length > limit) throw new DerError("value runs past its container");
    const end = header.contentStart + header.length;
    return {
      tag: header.tag,
      constructed: (header.tag & 0x20) !== 0,
      start: offset,
      contentStart: header.contentStart,
      end,
      bytes: this.input.subarray(offset, end),
      content: this.input.subarray(header.contentStart, end),
    };
  }

  /** Reads the single top-level TLV; trailing bytes are refused. */
  root(): Node {
    const t = this.readAt(0, this.input.length, 0);
    if (t.end !== this.input.length) throw new DerError("trailing bytes after the structure");
    return new Node(this, t, 0);
  }
}

type Header = { tag: number; length: number; contentStart: number };

/** Parses tag and length at `offset` (strict DER: low tag numbers, minimal definite lengths). */
export function readHeader(input: Uint8Array, offset: number, limit: number): Header {
  if (offset + 2 > limit) throw new DerError("truncated header");
  const tag = input[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag numbers not accepted");
  const first = input[offset + 1]!;
  if (first < 0x80) return { tag, length: first, contentStart: offset + 2 };
  const count = first & 0x7f;
  if (count === 0) throw new DerError("indefinite length not accepted");
  if (count > 4) throw new DerError("length too large");
  if (offset + 2 + count > limit) throw new DerError("truncated length");
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + input[offset + 2 + i]!;
  if (input[offset + 2]! === 0) throw new DerError("non-minimal length");
  if (length < 0x80) throw new DerError("non-minimal length");
  return { tag, length, contentStart: offset + 2 + count };
}

/** A cursor over one TLV and its children. */
export class Node {
  private cursor: number;
  constructor(
    private readonly reader: DerReader,
    readonly tlv: Tlv,
    private readonly depth: number,
  ) {
    this.cursor = tlv.contentStart;
  }
  get tag(): number {
    return this.tlv.tag;
  }
  get bytes(): Uint8Array {
    return this.tlv.bytes;
  }
  get content(): Uint8Array {
    return this.tlv.content;
  }
  /** True while children remain unread. */
  hasMore(): boolean {
    return this.cursor < this.tlv.end;
  }
  /** Tag of the next child, or undefined at the end. */
  peekTag(): number | undefined {
    return this.hasMore() ? this.reader.input[this.cursor] : undefined;
  }
  /** Reads the next child, optionally requiring its tag. */
  next(expectedTag?: number, what = "value"): Node {
    if (!this.tlv.constructed) throw new DerError("children of a primitive value");
    if (!this.hasMore()) throw new DerError(`missing ${what}`);
    const child = this.reader.readAt(this.cursor, this.tlv.end, this.depth + 1);
    if (expectedTag !== undefined && child.tag !== expectedTag)
      throw new DerError(`unexpected tag 0x${child.tag.toString(16)} for ${what}`);
    this.cursor = child.end;
    return new Node(this.reader, child, this.depth + 1);
  }
  /** Reads the next child only if it has `tag`. */
  optional(tag: number): Node | undefined {
    return this.peekTag() === tag ? this.next(tag) : undefined;
  }
  /** Requires that every child was read. */
  end(what = "structure"): void {
    if (this.hasMore()) throw new DerError(`unexpected extra content in ${what}`);
  }
  /** All children (e.g. of a SET OF), checking DER sort order. */
  children(what = "set", tag?: number): Node[] {
    const out: Node[] = [];
    while (this.hasMore()) out.push(this.next(tag, what));
    return out;
  }
  /** Children of a SET OF, refusing a non-DER order or duplicates. */
  setChildren(what = "set", tag?: number): Node[] {
    const out = this.children(what, tag);
    for (let i = 1; i < out.length; i++)
      if (compareBytes(out[i - 1]!.bytes, out[i]!.bytes) >= 0) throw new DerError(`${what} not in DER order`);
    return out;
  }
  /** Requires an empty NULL. */
  asNull(): null {
    if (this.tag !== TAG.NULL || this.content.length !== 0) throw new DerError("expected NULL");
    return null;
  }
  asOid(): string {
    if (this.tag !== TAG.OID) throw new DerError("expected an OID");
    return decodeOid(this.content);
  }
  asSmallInt(): number {
    if (this.tag !== TAG.INTEGER) throw new DerError("expected an INTEGER");
    const c = this.content;
    if (c.length === 0 || c.length > 6) throw new DerError("integer out of range");
    if (c.length > 1 && c[0] === 0 && (c[1]! & 0x80) === 0) throw new DerError("non-minimal integer");
    if ((c[0]! & 0x80) !== 0) throw new DerError("negative integer");
    let n = 0;
    for (const b of c) n = n * 256 + b;
    return n;
  }
  asIntegerBytes(): Uint8Array {
    if (this.tag !== TAG.INTEGER) throw new DerError("expected an INTEGER");
    const c = this.content;
    if (c.length === 0) throw new DerError("empty integer");
    if (c.length > 1 && ((c[0] === 0 && (c[1]! & 0x80) === 0) || (c[0] === 0xff && (c[1]! & 0x80) !== 0)))
      throw new DerError("non-minimal integer");
    return c;
  }
  asOctets(): Uint8Array {
    if (this.tag !== TAG.OCTET_STRING) throw new DerError("expected an OCTET STRING");
    return this.content;
  }
  asUtf8(): string {
    if (this.tag !== TAG.UTF8_STRING && this.tag !== TAG.PRINTABLE_STRING)
      throw new DerError("expected a string");
    return decodeUtf8(this.content);
  }
  asTime(): Date {
    const text = new TextDecoder().decode(this.content);
    let full: string;
    if (this.tag === TAG.UTC_TIME && /^\d{12}Z$/.test(text)) {
      const yy = Number(text.slice(0, 2));
      full = `${yy >= 50 ? "19" : "20"}${text}`;
    } else if (this.tag === TAG.GENERALIZED_TIME && /^\d{14}Z$/.test(text)) full = text;
    else throw new DerError("bad time");
    const d = new Date(
      `${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`,
    );
    if (Number.isNaN(d.getTime())) throw new DerError("bad time");
    return d;
  }
}

/** Decodes strict UTF-8, as a DerError when invalid. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DerError("invalid UTF-8");
  }
}

/** Decodes OID content octets to dotted form (minimal base-128 arcs required). */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0 || content.length > 64) throw new DerError("bad OID length");
  const arcs: bigint[] = [];
  let n = 0n;
  let started = false;
  for (const b of content) {
    if (!started && b === 0x80) throw new DerError("non-minimal OID arc");
    started = true;
    n = (n << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(n);
      n = 0n;
      started = false;
    }
  }
  if (started) throw new DerError("truncated OID");
  const first = arcs[0]!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join(".");
}

/** Parses a whole DER structure from untrusted input under `limits`; its tag must be `expectedTag`. */
export function parseDer(
  input: Uint8Array,
  limits: DerLimits = CMS_LIMITS,
  expectedTag: number | "any" = TAG.SEQUENCE,
): Node {
  const node = new DerReader(input, limits).root();
  if (expectedTag !== "any" && node.tag !== expectedTag)
    throw new DerError(`unexpected outer tag 0x${node.tag.toString(16)}`);
  return node;
}
