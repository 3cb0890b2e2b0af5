using BetterAuth.Core.Crypto;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BetterAuth.Tests.Core;

/// <summary>
/// <c>EmailAndPassword.MaxConcurrentPasswordHashes</c> bounds how many scrypt hashes (32 MiB each) run at once: the
/// memory-for-throughput setting measured in bench/NOTES.md.
/// </summary>
public sealed class PasswordHashConcurrencyTests
{
    [Fact]
    public async Task TheOption_SetsTheHashersWorkers_DefaultOnePerCore()
    {
        await using (var limited = await AuthTestHost.StartAsync(o => o.EmailAndPassword.MaxConcurrentPasswordHashes = 1, realHasher: true))
            Assert.Equal(1, Assert.IsType<ScryptPasswordHasher>(limited.Services.GetRequiredService<IPasswordHasher>()).MaxConcurrency);
        await using var defaults = await AuthTestHost.StartAsync(realHasher: true);
        Assert.Equal(Environment.ProcessorCount, Assert.IsType<ScryptPasswordHasher>(defaults.Services.GetRequiredService<IPasswordHasher>()).MaxConcurrency);
    }

    [Fact]
    public async Task AtMostThatManyHashesRunAtOnce_TheRestWait()
    {
        using var workers = new HashingWorkers(2);
        var running = 0;
        var peak = 0;
        using var release = new ManualResetEventSlim();
        var jobs = Enumerable.Range(0, 6).Select(_ => workers.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            release.Wait(TimeSpan.FromSeconds(5));
            Interlocked.Decrement(ref running);
            return now;
        }, "hash", CancellationToken.None)).ToList();
        // Both workers pick up a job (no fixed delay: a loaded machine may take a while to schedule them); the peak
        // below shows no third ran beside them while they held theirs.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref running) < 2 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(2, Volatile.Read(ref running));
        release.Set();
        await Task.WhenAll(jobs);
        Assert.Equal(2, peak);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task ZeroOrLess_IsRefusedAtStart(int value)
    {
        var e = await Assert.ThrowsAnyAsync<OptionsValidationException>(() =>
            AuthTestHost.StartAsync(o => o.EmailAndPassword.MaxConcurrentPasswordHashes = value));
        Assert.Contains("EmailAndPassword:MaxConcurrentPasswordHashes", e.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
