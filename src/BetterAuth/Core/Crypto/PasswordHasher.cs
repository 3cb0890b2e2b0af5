using System.Security.Cryptography;
using System.Text;

namespace BetterAuth.Core.Crypto;

/// <summary>Hashes and verifies passwords. Replaceable through DI (Better Auth's <c>password.hash/verify</c>).</summary>
public interface IPasswordHasher
{
    /// <summary>Hashes a password into the stored form.</summary>
    ValueTask<string> HashAsync(string password, CancellationToken ct = default);
    /// <summary>Checks a password against a stored hash.</summary>
    ValueTask<bool> VerifyAsync(string hash, string password, CancellationToken ct = default);
}

/// <summary>
/// Better Auth's password hash: scrypt N=16384, r=16, p=1, 64-byte key over the NFKC-normalised password, salt =
/// the UTF-8 bytes of 32 random lowercase hex chars, stored as <c>salt:key</c> in lowercase hex.
/// Each hash needs 32 MiB and ~60-90 ms of CPU, so hashes run on a fixed set of low-priority worker threads (one
/// per core): a sign-in storm queues there instead of starving the threads that serve get-session.
/// </summary>
internal sealed class ScryptPasswordHasher : IPasswordHasher, IDisposable
{
    public const int N = 16384, R = 16, P = 1, KeyLength = 64;
    private readonly HashingWorkers _workers;

    public ScryptPasswordHasher(int? maxConcurrency = null, Telemetry.AuthMetrics? metrics = null)
        => _workers = new HashingWorkers(maxConcurrency ?? Environment.ProcessorCount, metrics);

    /// <summary>How many hashes run at once (<see cref="EmailAndPasswordOptions.MaxConcurrentPasswordHashes"/>).</summary>
    internal int MaxConcurrency => _workers.Count;

    public async ValueTask<string> HashAsync(string password, CancellationToken ct = default)
    {
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var key = await DeriveAsync(password, salt, "hash", ct);
        return salt + ":" + Convert.ToHexStringLower(key);
    }

    public async ValueTask<bool> VerifyAsync(string hash, string password, CancellationToken ct = default)
    {
        var sep = hash.IndexOf(':');
        if (sep <= 0) return false;
        var salt = hash[..sep];
        byte[] expected;
        try { expected = Convert.FromHexString(hash.AsSpan(sep + 1)); }
        catch (FormatException) { return false; }
        var key = await DeriveAsync(password, salt, "verify", ct);
        return CryptographicOperations.FixedTimeEquals(key, expected);
    }

    private async Task<byte[]> DeriveAsync(string password, string salt, string operation, CancellationToken ct)
    {
        var pw = Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC));
        var saltBytes = Encoding.UTF8.GetBytes(salt);
        // A span of its own, so a trace shows how much of a sign-in went to the queue and the hash.
        using var span = Telemetry.AuthTelemetry.Source.StartActivity("better_auth.password_hash." + operation);
        span?.SetTag(Telemetry.AuthTelemetry.PasswordHashOperation, operation);
        try
        {
            return await _workers.RunAsync(() =>
            {
                var key = new byte[KeyLength];
                Scrypt.Derive(pw, saltBytes, N, R, P, key);
                return key;
            }, operation, ct);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pw);
        }
    }

    public void Dispose() => _workers.Dispose();
}
