using System.Text.Json;
using BetterAuth.Core.Http;
using Fido2NetLib;
using Fido2NetLib.Objects;
using B64Url = System.Buffers.Text.Base64Url;

namespace BetterAuth.Plugins.Passkey;

/// <summary>The relying party a request's ceremonies run for: RP ID, RP name and the origins a browser may report.</summary>
internal sealed record RelyingParty(string Id, string Name, IReadOnlyList<string> Origins)
{
    /// <summary>
    /// From the options, else Better Auth's defaults: the RP ID is the base URL's host (or <c>localhost</c>, also for an
    /// IP address such as a dev server's 127.0.0.1, which WebAuthn does not accept as RP ID); the origins are the trusted
    /// origins (the base URL's first), else the origin this request was served on.
    /// </summary>
    public static RelyingParty For(AuthContext ctx, PasskeyOptions options)
    {
        var auth = ctx.Auth;
        var id = options.RpId
                 ?? (Uri.TryCreate(auth.Options.BaseUrl, UriKind.Absolute, out var baseUri) && baseUri.HostNameType == UriHostNameType.Dns
                     ? baseUri.IdnHost : null)
                 ?? "localhost";
        var origins = options.Origins.Count > 0
            ? options.Origins
            : auth.TrustedOrigins.Where(o => !o.Contains('*') && Uri.TryCreate(o, UriKind.Absolute, out var u) && u.Scheme is "http" or "https").ToList();
        if (origins.Count == 0) origins = [ctx.RequestOrigin];
        return new RelyingParty(id, options.RpName ?? auth.Options.AppName, origins);
    }

    public Fido2 CreateFido2() => new(new Fido2Configuration
    {
        RPID = Id,
        RPName = Name,
        Origins = Origins.ToHashSet(StringComparer.Ordinal),
    });
}

/// <summary>A registration that passed every WebAuthn check, as it is to be stored.</summary>
internal sealed record VerifiedRegistration(string CredentialId, byte[] PublicKey, uint Counter, bool BackupEligible, bool BackedUp, Guid Aaguid);

/// <summary>
/// The WebAuthn checks, done by fido2-net-lib: challenge, origin, RP ID hash, user presence (and verification when
/// required), the credential's algorithm, the attestation statement ("none" is asked for) and assertion signatures.
/// The browser's JSON is read here field by field, so any malformed part is a refusal, never an exception.
/// </summary>
internal static class WebAuthnCeremony
{
    /// <summary>The algorithms offered (SimpleWebAuthn's defaults, in its order): Ed25519, ES256, RS256.</summary>
    public static readonly int[] Algorithms = [-8, -7, -257];

    /// <summary>Verifies a RegistrationResponseJSON; null when anything is wrong with it.</summary>
    public static async Task<VerifiedRegistration?> VerifyRegistrationAsync(RelyingParty rp, JsonElement response, string expectedChallenge,
        bool requireUserVerification, CancellationToken ct)
    {
        if (Read(response) is not { Response: { } body } credential || !TryDecode(body.AttestationObject, out var attestation) ||
            !TryDecode(body.ClientDataJson, out var clientData) || !TryDecode(expectedChallenge, out var challenge))
            return null;
        var raw = new AuthenticatorAttestationRawResponse
        {
            Id = credential.Id!,
            RawId = B64Url.DecodeFromChars(credential.RawId),
            Type = PublicKeyCredentialType.PublicKey,
            Response = new AuthenticatorAttestationRawResponse.AttestationResponse
            {
                AttestationObject = attestation,
                ClientDataJson = clientData,
                Transports = [],
            },
            ClientExtensionResults = new AuthenticationExtensionsClientOutputs(),
        };
        var options = new CredentialCreateOptions
        {
            Rp = new PublicKeyCredentialRpEntity(rp.Id, rp.Name),
            // Better Auth keeps no user handle (it sends a random one), so nothing here is compared with it.
            User = new Fido2User { Id = [0], Name = "", DisplayName = "" },
            Challenge = challenge,
            PubKeyCredParams = Algorithms.Select(a => new PubKeyCredParam((COSE.Algorithm)a)).ToList(),
            Attestation = AttestationConveyancePreference.None,
            AuthenticatorSelection = new AuthenticatorSelection
            {
                UserVerification = requireUserVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
            },
        };
        try
        {
            var result = await rp.CreateFido2().MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = options,
                IsCredentialIdUniqueToUserCallback = (_, _) => Task.FromResult(true), // checked when the row is inserted
            }, ct);
            return new VerifiedRegistration(B64Url.EncodeToString(result.Id), result.PublicKey, result.SignCount,
                result.IsBackupEligible, result.IsBackedUp, result.AaGuid);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // fido2-net-lib parses attacker-chosen CBOR, ASN.1 and keys: any failure in there is a refused registration.
            return null;
        }
    }

    /// <summary>
    /// Verifies an AuthenticationResponseJSON against the stored passkey; the authenticator's new signature counter,
    /// or null when anything is wrong. The counter rule is SimpleWebAuthn's: when either the stored or the new counter is
    /// non-zero, the new one must be greater.
    /// </summary>
    public static async Task<uint?> VerifyAssertionAsync(RelyingParty rp, JsonElement response, string expectedChallenge, PasskeyRow passkey,
        bool requireUserVerification, CancellationToken ct)
    {
        if (Read(response) is not { Response: { } body } credential || !TryDecode(body.AuthenticatorData, out var authenticatorData) ||
            !TryDecode(body.Signature, out var signature) || !TryDecode(body.ClientDataJson, out var clientData) ||
            !TryDecode(expectedChallenge, out var challenge) || !TryDecodeStoredKey(passkey.PublicKey, out var publicKey))
            return null;
        byte[]? userHandle = null;
        if (body.UserHandle is { Length: > 0 } handle && !TryDecode(handle, out userHandle)) return null;
        var stored = (uint)Math.Clamp(passkey.Counter, 0, uint.MaxValue);
        var raw = new AuthenticatorAssertionRawResponse
        {
            Id = credential.Id!,
            RawId = B64Url.DecodeFromChars(credential.RawId),
            Type = PublicKeyCredentialType.PublicKey,
            Response = new AuthenticatorAssertionRawResponse.AssertionResponse
            {
                AuthenticatorData = authenticatorData,
                Signature = signature,
                ClientDataJson = clientData,
                UserHandle = userHandle,
            },
            ClientExtensionResults = new AuthenticationExtensionsClientOutputs(),
        };
        var options = new AssertionOptions
        {
            Challenge = challenge,
            RpId = rp.Id,
            UserVerification = requireUserVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
        };
        try
        {
            var result = await rp.CreateFido2().MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = options,
                StoredPublicKey = publicKey,
                StoredSignatureCounter = stored,
                // Better Auth registers a random user handle and keeps none, so a returned handle cannot be compared.
                IsUserHandleOwnerOfCredentialIdCallback = (_, _) => Task.FromResult(true),
            }, ct);
            if ((result.SignCount > 0 || stored > 0) && result.SignCount <= stored) return null;
            return result.SignCount;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The credential's id, rawId (equal, base64url) and type ("public-key"), and its response; null when any is off.</summary>
    private static CredentialJson? Read(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object) return null;
        CredentialJson? credential;
        try { credential = response.Deserialize(PasskeyJsonContext.Default.CredentialJson); }
        catch (JsonException) { return null; }
        if (credential is not { Id: { Length: > 0 } id, RawId: { } rawId, Type: "public-key", Response: not null } || rawId != id ||
            !TryDecode(id, out _))
            return null;
        return credential;
    }

    /// <summary>The credential id the browser reports (what Better Auth looks passkeys up by); null when it is not a string.</summary>
    public static string? CredentialId(JsonElement response) =>
        response.ValueKind == JsonValueKind.Object && response.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString() : null;

    /// <summary>The transports a RegistrationResponseJSON lists (strings only), comma-joined as Better Auth stores them.</summary>
    public static string? Transports(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("response", out var body) ||
            body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("transports", out var list) || list.ValueKind != JsonValueKind.Array)
            return null;
        return string.Join(",", list.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()));
    }

    private static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || !B64Url.IsValid(text)) return false;
        bytes = B64Url.DecodeFromChars(text);
        return true;
    }

    /// <summary>The stored COSE key: standard base64 as Better Auth writes it (padding and alphabet tolerated either way).</summary>
    private static bool TryDecodeStoredKey(string text, out byte[] bytes)
    {
        var normalised = text.Replace('+', '-').Replace('/', '_').TrimEnd('=');
        return TryDecode(normalised, out bytes) && bytes.Length > 0;
    }
}
