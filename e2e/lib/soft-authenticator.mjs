// A software WebAuthn authenticator for tests that run without a browser: it answers registration and authentication
// options with the JSON a browser's navigator.credentials would produce (SimpleWebAuthn's RegistrationResponseJSON /
// AuthenticationResponseJSON), signing with an ES256 (P-256) key. Made from a seed, the same authenticator is built on
// both sides of a differential run, so credential ids, public keys and signatures' inputs match byte for byte.
import crypto from "node:crypto";

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

/** Minimal CBOR (RFC 8949) encoder: unsigned/negative integers, byte strings, text, arrays and maps (Map keeps key order). */
export function cbor(value) {
  const head = (major, n) => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) { const b = Buffer.alloc(3); b[0] = (major << 5) | 25; b.writeUInt16BE(n, 1); return b; }
    const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") { const t = Buffer.from(value, "utf8"); return Buffer.concat([head(3, t.length), t]); }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const sha256 = (data) => crypto.createHash("sha256").update(data).digest();

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 };

export class SoftAuthenticator {
  /**
   * @param {string} seed  the key and credential id are derived from it
   * @param {object} [o]
   * @param {boolean} [o.userVerified=true]  the UV flag
   * @param {boolean} [o.backupEligible=false]  BE and BS flags (a synced passkey: deviceType multiDevice, backedUp true)
   * @param {number} [o.counterStep=1]  how much the signature counter grows per assertion (0: an authenticator without one)
   * @param {string[]} [o.transports=["internal"]]  reported at registration; null leaves the member out
   */
  constructor(seed, { userVerified = true, backupEligible = false, counterStep = 1, transports = ["internal"] } = {}) {
    const d = sha256(`soft-authenticator-key:${seed}`);
    const ecdh = crypto.createECDH("prime256v1");
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey();
    const x = point.subarray(1, 33);
    const y = point.subarray(33, 65);
    this.privateKey = crypto.createPrivateKey({ key: { kty: "EC", crv: "P-256", x: b64url(x), y: b64url(y), d: b64url(d) }, format: "jwk" });
    this.cosePublicKey = cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]));
    this.credentialId = sha256(`soft-authenticator-id:${seed}`);
    this.id = b64url(this.credentialId);
    this.userHandle = null;
    this.counter = 0;
    Object.assign(this, { userVerified, backupEligible, counterStep, transports });
  }

  /** The COSE public key as Better Auth stores it (standard base64 with padding). */
  get storedPublicKey() { return this.cosePublicKey.toString("base64"); }

  flags(extra = 0) {
    let f = FLAG.UP | extra;
    if (this.userVerified) f |= FLAG.UV;
    if (this.backupEligible) f |= FLAG.BE | FLAG.BS;
    return f;
  }

  authData(rpId, flags, counter, attested = Buffer.alloc(0)) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), c, attested]);
  }

  /** navigator.credentials.create() for PublicKeyCredentialCreationOptionsJSON; `rpId` overrides options.rp.id. */
  register(options, origin, { rpId = options.rp?.id, type = "webauthn.create", challenge = options.challenge } = {}) {
    this.userHandle = options.user?.id ?? null;
    const clientDataJSON = Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.cosePublicKey]);
    const authData = this.authData(rpId, this.flags(FLAG.AT), this.counter, attested);
    const attestationObject = cbor(new Map([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    const response = { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject) };
    if (this.transports) response.transports = this.transports;
    return { id: this.id, rawId: this.id, response, type: "public-key", clientExtensionResults: {}, authenticatorAttachment: "platform" };
  }

  /** navigator.credentials.get() for PublicKeyCredentialRequestOptionsJSON (counter advanced by counterStep). */
  authenticate(options, origin, { rpId = options.rpId, type = "webauthn.get", challenge = options.challenge, counter } = {}) {
    this.counter = counter ?? this.counter + this.counterStep;
    const clientDataJSON = Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
    const authenticatorData = this.authData(rpId, this.flags(), this.counter);
    const signature = crypto.sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.privateKey);
    const response = { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature) };
    if (this.userHandle) response.userHandle = this.userHandle;
    return { id: this.id, rawId: this.id, response, type: "public-key", clientExtensionResults: {}, authenticatorAttachment: "platform" };
  }
}
