import { createHmac, timingSafeEqual } from "crypto";

/**
 * Signs and verifies messages as the Jupyter spec asks:
 * signature = hex(HMAC-SHA256(key, header + parent_header + metadata + content)).
 * An empty key turns signing off (the spec allows it; the signature is then "").
 */
export class Signer {
  constructor(private readonly key: string) {}

  sign(parts: Buffer[]): string {
    if (this.key === "") return "";
    const hmac = createHmac("sha256", this.key);
    for (const part of parts) hmac.update(part);
    return hmac.digest("hex");
  }

  /** Constant-time comparison, so a forged signature cannot be found byte by byte. */
  verify(signature: string, parts: Buffer[]): boolean {
    const expected = Buffer.from(this.sign(parts), "utf8");
    const given = Buffer.from(signature, "utf8");
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
