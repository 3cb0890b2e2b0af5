using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Enrolment and management by the signed-in user: enable, disable, get-totp-uri, generate-backup-codes. Each reads
/// its body before requiring the session, as Better Auth validates the body first (no body → 400, not 401).
/// </summary>
internal sealed class TwoFactorEnrolmentEndpoints(TwoFactorOptions options, TotpCodes totp)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post("/two-factor/enable", Enable) with
        {
            OperationId = "enableTwoFactor", Summary = "Enable two factor authentication",
            Description = "Use this endpoint to enable two factor authentication. This will generate a TOTP URI and backup codes. " +
                "Once the user verifies the TOTP URI, the two factor authentication will be enabled.",
            Request = TwoFactorJsonContext.Default.EnableTwoFactorRequest,
            Response = Returns("Successful response", Strings("backupCodes", "Backup codes"), Str("totpURI", "TOTP URI")),
        },
        AuthEndpoint.Post("/two-factor/disable", Disable) with
        {
            OperationId = "disableTwoFactor", Summary = "Disable two factor authentication",
            Description = "Use this endpoint to disable two factor authentication.",
            Request = TwoFactorJsonContext.Default.PasswordRequest,
            Response = Returns("Successful response", Bool("status")),
        },
        AuthEndpoint.Post("/two-factor/get-totp-uri", GetTotpUri) with
        {
            OperationId = "getTOTPURI", Summary = "Get TOTP URI",
            Description = "Use this endpoint to get the TOTP URI",
            Request = TwoFactorJsonContext.Default.PasswordRequest,
            Response = Returns("Successful response", Str("totpURI")),
        },
        AuthEndpoint.Post("/two-factor/generate-backup-codes", GenerateBackupCodes) with
        {
            OperationId = "generateBackupCodes", Summary = "Generate new backup codes for two-factor authentication",
            Request = TwoFactorJsonContext.Default.BackupCodesRequest,
            Response = Returns("Backup codes generated successfully",
                Strings("backupCodes", "Array of generated backup codes in plain text").Required(),
                Bool("status", "Indicates if the backup codes were generated successfully").Required()),
        },
    ];

    /// <summary>
    /// POST /two-factor/enable {password, issuer?}: a new secret and backup codes replace the user's previous ones.
    /// Two-factor is switched on by the first verified code (or at once with <c>SkipVerificationOnEnable</c>).
    /// </summary>
    private async ValueTask<AuthResult> Enable(AuthContext ctx)
    {
        var body = ctx.ReadBody(TwoFactorJsonContext.Default.EnableTwoFactorRequest);
        var current = await ctx.RequireSessionAsync();
        var user = current.User;
        if (!await PasswordCheck.VerifyAsync(ctx, user, body.Password)) throw AuthError.BadRequest(CoreErrors.InvalidPassword);

        var secret = RandomStrings.From(RandomStrings.UrlSafe, 32);
        var codes = BackupCodes.Generate(options.BackupCodeOptions);
        var row = new TwoFactorRow
        {
            Id = RandomStrings.Id(),
            Secret = SymmetricCipher.Encrypt(ctx.Auth.Secrets, secret),
            BackupCodes = BackupCodes.Encrypt(ctx.Auth.Secrets, codes),
            UserId = user.Id,
        };
        // Guarantee: one two-factor row per user. The delete and the insert run under the user's row lock, so two
        // enrolments at once replace one another instead of both inserting.
        async Task ReplaceRows()
        {
            await ctx.Db.LockRowAsync<User>(u => u.Id, user.Id);
            await ctx.Db.Set<TwoFactorRow>().Where(t => t.UserId == user.Id).ExecuteDeleteAsync();
            ctx.Db.Set<TwoFactorRow>().Add(row);
            await ctx.Db.SaveChangesAsync();
            ctx.Db.Entry(row).State = EntityState.Detached;
        }

        if (options.SkipVerificationOnEnable)
            await TwoFactorChallenge.SetEnabledAndRotateAsync(ctx, current, enabled: true, alsoWrite: ReplaceRows);
        else
        {
            await using var tx = await ctx.Db.Database.BeginTransactionAsync();
            await ReplaceRows();
            await tx.CommitAsync();
        }

        var issuer = FirstNonEmpty(body.Issuer, options.Issuer, ctx.Auth.Options.AppName);
        return AuthResult.Json(new EnableTwoFactorResponse(totp.Uri(secret, issuer, user.Email), codes));
    }

    /// <summary>POST /two-factor/disable {password}: switches two-factor off, deletes the secret and rotates the session.</summary>
    private async ValueTask<AuthResult> Disable(AuthContext ctx)
    {
        var body = ctx.ReadBody(TwoFactorJsonContext.Default.PasswordRequest);
        var current = await ctx.RequireSessionAsync();
        if (!await PasswordCheck.VerifyAsync(ctx, current.User, body.Password)) throw AuthError.BadRequest(CoreErrors.InvalidPassword);
        await TwoFactorChallenge.SetEnabledAndRotateAsync(ctx, current, enabled: false, alsoWrite: () =>
            ctx.Db.Set<TwoFactorRow>().Where(t => t.UserId == current.User.Id).ExecuteDeleteAsync());
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>POST /two-factor/get-totp-uri {password}: the enrolled secret's URI again (issuer from the options only).</summary>
    private async ValueTask<AuthResult> GetTotpUri(AuthContext ctx)
    {
        var body = ctx.ReadBody(TwoFactorJsonContext.Default.PasswordRequest);
        var current = await ctx.RequireSessionAsync();
        if (options.TotpOptions.Disable) throw AuthError.BadRequest(TwoFactorErrors.TotpNotConfigured);
        var user = current.User;
        var row = await TwoFactorChallenge.FindRowAsync(ctx, user.Id);
        if (row is null || !TwoFactorChallenge.IsEnabled(user)) throw AuthError.BadRequest(TwoFactorErrors.TotpNotEnabled);
        // A secret that does not open (the auth secret changed) is an enrolment that cannot be used.
        var secret = SymmetricCipher.TryDecrypt(ctx.Auth.Secrets, row.Secret) ?? throw AuthError.BadRequest(TwoFactorErrors.TotpNotEnabled);
        await RequirePasswordAsync(ctx, user.Id, body.Password);
        var issuer = FirstNonEmpty(options.Issuer, ctx.Auth.Options.AppName);
        return AuthResult.Json(new TotpUriResponse(totp.Uri(secret, issuer, user.Email)));
    }

    /// <summary>POST /two-factor/generate-backup-codes {password}: a new set replaces the unused codes.</summary>
    private async ValueTask<AuthResult> GenerateBackupCodes(AuthContext ctx)
    {
        var body = ctx.ReadBody(TwoFactorJsonContext.Default.BackupCodesRequest);
        var current = await ctx.RequireSessionAsync();
        var user = current.User;
        if (!TwoFactorChallenge.IsEnabled(user)) throw AuthError.BadRequest(TwoFactorErrors.TwoFactorNotEnabled);
        await RequirePasswordAsync(ctx, user.Id, body.Password);
        var codes = BackupCodes.Generate(options.BackupCodeOptions);
        var encrypted = BackupCodes.Encrypt(ctx.Auth.Secrets, codes);
        await ctx.Db.Set<TwoFactorRow>().Where(t => t.UserId == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.BackupCodes, encrypted));
        Core.Telemetry.SecurityLog.BackupCodesRegenerated(ctx.Auth.SecurityLogger, user.Id, ctx.ClientIp);
        return AuthResult.Json(new BackupCodesResponse(true, codes));
    }

    /// <summary>
    /// Better Auth's <c>checkPassword</c>: no credential password (or an empty one given) is "No password credential
    /// found", a wrong one "Invalid password", both 400.
    /// </summary>
    private static async Task RequirePasswordAsync(AuthContext ctx, string userId, string password)
    {
        var account = await ctx.Store.FindCredentialAccountAsync(userId);
        if (account?.Password is null || password.Length == 0) throw AuthError.BadRequest(TwoFactorErrors.NoPasswordCredential);
        if (!await ctx.Auth.Passwords.VerifyAsync(account.Password, password, ctx.Http.RequestAborted))
            throw AuthError.BadRequest(CoreErrors.InvalidPassword);
    }

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";
}
