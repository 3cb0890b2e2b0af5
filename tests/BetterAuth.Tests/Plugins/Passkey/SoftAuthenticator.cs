using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BetterAuth.Tests.Plugins.Passkey;

/// <summary>
/// A software WebAuthn authenticator (ES256): answers registration and authentication options with the JSON a browser
/// hands to SimpleWebAuthn's client (RegistrationResponseJSON / AuthenticationResponseJSON), so the server's checks can be
/// exercised without a browser, including responses a real browser would never send (wrong origin, replayed, forged).
/// </summary>
internal sealed class SoftAuthenticator
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public SoftAuthenticator(bool userVerified = true, bool backupEligible = false, int counterStep = 1, string[]? transports = null)
    {
        CredentialId = RandomNumberGenerator.GetBytes(32);
        (UserVerified, BackupEligible, CounterStep) = (userVerified, backupEligible, counterStep);
        Transports = transports ?? ["internal", "hybrid"];
    }

    public byte[] CredentialId { get; }
    public string Id => Base64Url.EncodeToString(CredentialId);
    public bool UserVerified { get; set; }
    public bool BackupEligible { get; }
    public int CounterStep { get; }
    public string[]? Transports { get; set; }
    public uint Counter { get; set; }
    public string? UserHandle { get; private set; }

    /// <summary>The COSE_Key of the public key (kty EC2, alg ES256, crv P-256, x, y), as stored by Better Auth (base64).</summary>
    public byte[] CosePublicKey
    {
        get
        {
            var p = _key.ExportParameters(false).Q;
            var w = new CborWriter(CborConformanceMode.Ctap2Canonical);
            w.WriteStartMap(5);
            w.WriteInt32(1); w.WriteInt32(2);
            w.WriteInt32(3); w.WriteInt32(-7);
            w.WriteInt32(-1); w.WriteInt32(1);
            w.WriteInt32(-2); w.WriteByteString(p.X!);
            w.WriteInt32(-3); w.WriteByteString(p.Y!);
            w.WriteEndMap();
            return w.Encode();
        }
    }

    /// <summary>navigator.credentials.create(); the optional arguments forge what a browser would have filled in.</summary>
    public JsonObject Register(JsonNode options, string origin, string? rpId = null, string type = "webauthn.create", string? challenge = null,
        string fmt = "none")
    {
        UserHandle = options["user"]?["id"]?.GetValue<string>();
        var clientData = ClientData(type, challenge ?? options["challenge"]!.GetValue<string>(), origin);
        var attested = new List<byte>();
        attested.AddRange(new byte[16]); // AAGUID: none
        attested.AddRange(new[] { (byte)(CredentialId.Length >> 8), (byte)CredentialId.Length });
        attested.AddRange(CredentialId);
        attested.AddRange(CosePublicKey);
        var authData = AuthData(rpId ?? options["rp"]!["id"]!.GetValue<string>(), 0x40, attested.ToArray());

        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(3);
        w.WriteTextString("fmt"); w.WriteTextString(fmt);
        w.WriteTextString("attStmt"); w.WriteStartMap(0); w.WriteEndMap();
        w.WriteTextString("authData"); w.WriteByteString(authData);
        w.WriteEndMap();

        var response = new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(w.Encode()),
        };
        if (Transports is not null) response["transports"] = new JsonArray(Transports.Select(t => (JsonNode)t).ToArray());
        return Credential(response);
    }

    /// <summary>navigator.credentials.get(); the signature counter advances by <see cref="CounterStep"/> unless one is given.</summary>
    public JsonObject Authenticate(JsonNode options, string origin, string? rpId = null, string type = "webauthn.get", string? challenge = null,
        uint? counter = null)
    {
        Counter = counter ?? Counter + (uint)CounterStep;
        var clientData = ClientData(type, challenge ?? options["challenge"]!.GetValue<string>(), origin);
        var authData = AuthData(rpId ?? options["rpId"]!.GetValue<string>(), 0, []);
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var response = new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authData),
            ["signature"] = Base64Url.EncodeToString(signature),
        };
        if (UserHandle is not null) response["userHandle"] = UserHandle;
        return Credential(response);
    }

    private JsonObject Credential(JsonObject response) => new()
    {
        ["id"] = Id,
        ["rawId"] = Id,
        ["response"] = response,
        ["type"] = "public-key",
        ["clientExtensionResults"] = new JsonObject(),
        ["authenticatorAttachment"] = "platform",
    };

    private static byte[] ClientData(string type, string challenge, string origin) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["challenge"] = challenge, ["origin"] = origin, ["crossOrigin"] = false }.ToJsonString());

    /// <summary>rpIdHash, flags (UP, UV, BE/BS and <paramref name="extraFlags"/>), the counter, then any attested data.</summary>
    private byte[] AuthData(string rpId, byte extraFlags, byte[] attested)
    {
        var flags = (byte)(0x01 | extraFlags | (UserVerified ? 0x04 : 0) | (BackupEligible ? 0x18 : 0));
        var data = new byte[37 + attested.Length];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).CopyTo(data, 0);
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), Counter);
        attested.CopyTo(data, 37);
        return data;
    }
}
