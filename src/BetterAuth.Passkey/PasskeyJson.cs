using System.Text.Json;
using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Passkey;

// Request and answer shapes of the passkey endpoints, with Better Auth's (SimpleWebAuthn's) key order.

/// <summary>POST /passkey/verify-registration: the browser's RegistrationResponseJSON and an optional label.</summary>
internal sealed record VerifyRegistrationRequest
{
    /// <summary>Any JSON (Better Auth's <c>z.any()</c>); its shape is checked when it is verified.</summary>
    [JsonPropertyName("response")] public JsonElement? Response { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
}

/// <summary>POST /passkey/verify-authentication: the browser's AuthenticationResponseJSON (an object).</summary>
internal sealed record VerifyAuthenticationRequest
{
    [JsonPropertyName("response")] public required JsonElement Response { get; init; }
}

/// <summary>POST /passkey/generate-authenticate-options: an optional email, which Better Auth 1.2.12 accepts and ignores.</summary>
internal sealed record AuthenticateOptionsRequest
{
    [JsonPropertyName("email")] public string? Email { get; init; }
}

/// <summary>POST /passkey/delete-passkey: the passkey's id.</summary>
internal sealed record PasskeyIdRequest
{
    [JsonPropertyName("id")] public required string Id { get; init; }
}

/// <summary>POST /passkey/update-passkey: the passkey's id and its new name.</summary>
internal sealed record UpdatePasskeyRequest
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
}

/// <summary>A passkey row as Better Auth's adapter answers it: the columns in schema order, the id last.</summary>
internal sealed record PasskeyView(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("publicKey")] string PublicKey,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("credentialID")] string CredentialID,
    [property: JsonPropertyName("counter")] long Counter,
    [property: JsonPropertyName("deviceType")] string DeviceType,
    [property: JsonPropertyName("backedUp")] bool BackedUp,
    [property: JsonPropertyName("transports")] string? Transports,
    [property: JsonPropertyName("createdAt")] DateTime? CreatedAt,
    [property: JsonPropertyName("aaguid")] string? Aaguid,
    [property: JsonPropertyName("id")] string Id)
{
    public static PasskeyView From(PasskeyRow p) =>
        new(p.Name, p.PublicKey, p.UserId, p.CredentialID, p.Counter, p.DeviceType, p.BackedUp, p.Transports, p.CreatedAt, p.Aaguid, p.Id);
}

/// <summary>update-passkey's answer: the renamed passkey.</summary>
internal sealed record UpdatePasskeyResponse([property: JsonPropertyName("passkey")] PasskeyView Passkey);

/// <summary>verify-authentication's answer: the new session only (the client's type also names a user, never sent).</summary>
internal sealed record PasskeySignInResponse([property: JsonPropertyName("session")] Session Session);

/// <summary>The options' <c>rp</c>: name and RP ID.</summary>
internal sealed record RelyingPartyJson([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("id")] string Id);

/// <summary>The options' <c>user</c>: a random handle (base64url) and the account's email as name and display name.</summary>
internal sealed record WebAuthnUserJson(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("displayName")] string DisplayName);

/// <summary>One of <c>pubKeyCredParams</c>: a COSE algorithm.</summary>
internal sealed record PublicKeyParameterJson([property: JsonPropertyName("alg")] int Alg, [property: JsonPropertyName("type")] string Type);

/// <summary>A credential named in excludeCredentials or allowCredentials; transports left out when none were stored.</summary>
internal sealed record CredentialDescriptorJson(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("transports"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? Transports,
    [property: JsonPropertyName("type")] string Type)
{
    /// <summary>SimpleWebAuthn splits the stored text on commas (an empty text gives one empty transport, as there).</summary>
    public static CredentialDescriptorJson From(PasskeyRow p) => new(p.CredentialID, p.Transports?.Split(',').ToList(), "public-key");
}

/// <summary>The registration options' <c>authenticatorSelection</c>, in SimpleWebAuthn's key order.</summary>
internal sealed record AuthenticatorSelectionJson(
    [property: JsonPropertyName("residentKey")] string ResidentKey,
    [property: JsonPropertyName("userVerification")] string UserVerification,
    [property: JsonPropertyName("authenticatorAttachment"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthenticatorAttachment,
    [property: JsonPropertyName("requireResidentKey")] bool RequireResidentKey);

/// <summary>The registration options' <c>extensions</c>: SimpleWebAuthn always asks for <c>credProps</c>.</summary>
internal sealed record CredPropsExtensionJson([property: JsonPropertyName("credProps")] bool CredProps);

/// <summary>PublicKeyCredentialCreationOptionsJSON as SimpleWebAuthn 13 generates it for Better Auth.</summary>
internal sealed record RegistrationOptionsJson(
    [property: JsonPropertyName("challenge")] string Challenge,
    [property: JsonPropertyName("rp")] RelyingPartyJson Rp,
    [property: JsonPropertyName("user")] WebAuthnUserJson User,
    [property: JsonPropertyName("pubKeyCredParams")] List<PublicKeyParameterJson> PubKeyCredParams,
    [property: JsonPropertyName("timeout")] int Timeout,
    [property: JsonPropertyName("attestation")] string Attestation,
    [property: JsonPropertyName("excludeCredentials")] List<CredentialDescriptorJson> ExcludeCredentials,
    [property: JsonPropertyName("authenticatorSelection")] AuthenticatorSelectionJson AuthenticatorSelection,
    [property: JsonPropertyName("extensions")] CredPropsExtensionJson Extensions,
    [property: JsonPropertyName("hints")] List<string> Hints);

/// <summary>PublicKeyCredentialRequestOptionsJSON as SimpleWebAuthn 13 generates it for Better Auth.</summary>
internal sealed record AuthenticationOptionsJson(
    [property: JsonPropertyName("rpId")] string RpId,
    [property: JsonPropertyName("challenge")] string Challenge,
    [property: JsonPropertyName("allowCredentials"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<CredentialDescriptorJson>? AllowCredentials,
    [property: JsonPropertyName("timeout")] int Timeout,
    [property: JsonPropertyName("userVerification")] string UserVerification);

/// <summary>
/// The verification row's value, as Better Auth writes it (<c>{"expectedChallenge","userData":{"id"}}</c>; the user id
/// is empty for a sign-in without a session). <c>type</c> is ours (later Better Auth versions add the same key): a
/// challenge made for one ceremony is refused by the other; a row without it (made by Better Auth 1.2.12) is accepted.
/// </summary>
internal sealed record ChallengeValue(
    [property: JsonPropertyName("expectedChallenge")] string ExpectedChallenge,
    [property: JsonPropertyName("userData")] ChallengeUser UserData,
    [property: JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type);

/// <summary>The user a challenge was made for ("" for a sign-in without a session).</summary>
internal sealed record ChallengeUser([property: JsonPropertyName("id")] string Id);

/// <summary>The fields of a browser's credential JSON the plugin reads itself (the rest is checked by Fido2).</summary>
internal sealed record CredentialJson
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("rawId")] public string? RawId { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("response")] public CredentialResponseJson? Response { get; init; }
}

/// <summary>The <c>response</c> member of RegistrationResponseJSON / AuthenticationResponseJSON (base64url fields).</summary>
internal sealed record CredentialResponseJson
{
    [JsonPropertyName("clientDataJSON")] public string? ClientDataJson { get; init; }
    [JsonPropertyName("attestationObject")] public string? AttestationObject { get; init; }
    [JsonPropertyName("authenticatorData")] public string? AuthenticatorData { get; init; }
    [JsonPropertyName("signature")] public string? Signature { get; init; }
    [JsonPropertyName("userHandle")] public string? UserHandle { get; init; }
    [JsonPropertyName("transports")] public List<string>? Transports { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(VerifyRegistrationRequest))]
[JsonSerializable(typeof(VerifyAuthenticationRequest))]
[JsonSerializable(typeof(AuthenticateOptionsRequest))]
[JsonSerializable(typeof(PasskeyIdRequest))]
[JsonSerializable(typeof(UpdatePasskeyRequest))]
[JsonSerializable(typeof(PasskeyView))]
[JsonSerializable(typeof(List<PasskeyView>))]
[JsonSerializable(typeof(UpdatePasskeyResponse))]
[JsonSerializable(typeof(PasskeySignInResponse))]
[JsonSerializable(typeof(RegistrationOptionsJson))]
[JsonSerializable(typeof(AuthenticationOptionsJson))]
[JsonSerializable(typeof(ChallengeValue))]
[JsonSerializable(typeof(CredentialJson))]
internal sealed partial class PasskeyJsonContext : JsonSerializerContext;
