using BetterAuth.Core.Messaging;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static BetterAuth.Tests.Core.Messaging.OutboxTestKit;

namespace BetterAuth.Tests.Core.Messaging;

/// <summary>
/// Durable delivery: a message for a remote sender is stored with the change that causes it, sent by the dispatcher,
/// retried with exponential backoff on the host's clock, dead-lettered after the last attempt, claimed by one dispatcher
/// only, and taken over when the dispatcher that claimed it died.
/// </summary>
public sealed class OutboxDeliveryTests
{
    private static async Task<string> ResetRequestedAsync(AuthTestHost host, string email)
    {
        var client = host.Client();
        await client.SignUpAsync(email);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await host.Client().PostAsync("/request-password-reset", new { email })).Status);
        return email;
    }

    [Fact]
    public async Task AMessage_IsStoredWithItsChange_Encrypted_AndDeletedOnceSent()
    {
        var remote = new RemoteTestSender();
        await using var host = await StartAsync(remote);
        await ResetRequestedAsync(host, "stored@outbox.test");

        // Nothing was sent in the request; the sign-up's verification mail and the reset mail wait in the table.
        Assert.Equal(0, remote.Calls);
        var rows = await RowsAsync(host);
        Assert.Equal(["verify-email", "reset-password"], rows.Select(r => r.Kind));
        var reset = rows[1];
        Assert.Equal(("stored@outbox.test", OutboxRow.Pending, 0), (reset.Recipient, reset.Status, reset.Attempts));
        var token = (await host.WithDbAsync(db => db.Verifications.AsNoTracking().SingleAsync(v => v.Identifier.StartsWith("reset-password:"))))
            .Identifier["reset-password:".Length..];
        Assert.DoesNotContain(token, reset.Payload);

        Assert.Equal(2, await Dispatcher(host).RunOnceAsync());
        var sent = remote.Sent.Single(m => m.Kind == "reset-password");
        Assert.Equal(token, sent.Token);
        Assert.Equal($"http://localhost/api/auth/reset-password/{token}?callbackURL=", sent.Url);
        Assert.Empty(await RowsAsync(host));
        Assert.Equal(0, await Dispatcher(host).RunOnceAsync());
        Assert.Equal(2, remote.Calls);
    }

    [Fact]
    public async Task TheTokenAndItsMessage_AreOneTransaction_NeitherIsStoredAlone()
    {
        var remote = new RemoteTestSender();
        await using var host = await StartAsync(remote);
        await host.Client().SignUpAsync("atomic@outbox.test");
        // The message cannot be written: the reset token must not be stored either.
        await host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TABLE \"authOutbox\""));
        var r = await host.Client().PostAsync("/request-password-reset", new { email = "atomic@outbox.test" });
        Assert.Equal(500, r.Status);
        Assert.Equal(0, await host.WithDbAsync(db => db.Verifications.CountAsync(v => v.Identifier.StartsWith("reset-password:"))));
    }

    [Fact]
    public async Task AFailedSend_IsRetriedWithExponentialBackoff_OnTheHostsClock_ThenDelivered()
    {
        var remote = new RemoteTestSender();
        var failures = 3;
        remote.Before = (_, _) => Interlocked.Decrement(ref failures) >= 0 ? throw new IOException("SMTP server unreachable") : Task.CompletedTask;
        await using var host = await StartAsync(remote, o => o.EmailVerification.SendOnSignUp = false);
        await ResetRequestedAsync(host, "retry@outbox.test");
        var dispatcher = Dispatcher(host);

        // Attempt n fails; the next waits 10 s · 2^(n-1) (RetryDelay 10, doubling) and not a moment less.
        foreach (var (attempt, wait) in new[] { (1, 10), (2, 20), (3, 40) })
        {
            Assert.Equal(1, await dispatcher.RunOnceAsync());
            var row = (await RowsAsync(host)).Single();
            Assert.Equal((attempt, OutboxRow.Pending, "IOException: SMTP server unreachable"), (row.Attempts, row.Status, row.LastError));
            Assert.Equal(host.Runtime.Now.AddSeconds(wait), row.AvailableAt);
            Assert.Null(row.ClaimedBy);
            host.Clock.Advance(TimeSpan.FromSeconds(wait - 1));
            Assert.Equal(0, await dispatcher.RunOnceAsync());
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(1, await dispatcher.RunOnceAsync());
        Assert.Empty(await RowsAsync(host));
        Assert.Equal(4, remote.Calls);
        Assert.Equal("retry@outbox.test", Assert.Single(remote.Sent).To);
    }

    [Fact]
    public async Task AfterTheLastAttempt_TheMessageIsDeadLettered_WithoutItsSecret_AndAnErrorIsLogged()
    {
        var remote = new RemoteTestSender { Before = (_, _) => throw new InvalidOperationException("mailbox unavailable") };
        var logs = new CapturedLogs();
        await using var host = await StartAsync(remote, o => { o.EmailVerification.SendOnSignUp = false; o.Messages.MaxAttempts = 3; }, logs);
        await ResetRequestedAsync(host, "dead@outbox.test");
        var token = (await host.WithDbAsync(db => db.Verifications.AsNoTracking().SingleAsync(v => v.Identifier.StartsWith("reset-password:"))))
            .Identifier["reset-password:".Length..];
        var dispatcher = Dispatcher(host);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, await dispatcher.RunOnceAsync());
            host.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var dead = (await RowsAsync(host)).Single();
        Assert.Equal((OutboxRow.Dead, 3, "InvalidOperationException: mailbox unavailable"), (dead.Status, dead.Attempts, dead.LastError));
        Assert.Null(dead.Payload);
        Assert.Equal("dead@outbox.test", dead.Recipient);
        Assert.Equal(0, await dispatcher.RunOnceAsync());
        Assert.Equal(3, remote.Calls);

        var entry = Assert.Single(logs.Entries, e => e.Event.Name == "MessageDeadLettered");
        Assert.Equal((LogLevel.Error, 4008), (entry.Level, entry.Event.Id));
        Assert.Contains($"{dead.Id} (reset-password)", entry.Message);
        Assert.Contains("after 3 attempt(s)", entry.Message);
        Assert.Equal(2, logs.Entries.Count(e => e.Event.Name == "MessageRetryScheduled"));
        // Neither the secret nor the address is logged; the row's id leads an operator to the dead letter.
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(token));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("dead@outbox.test"));

        // Dead letters are dropped after their retention (30 days by default).
        host.Clock.Advance(TimeSpan.FromDays(31));
        await dispatcher.RunOnceAsync();
        Assert.Empty(await RowsAsync(host));
    }

    [Fact]
    public async Task AMessageClaimedByADispatcherThatDied_IsTakenOverWhenItsClaimLapses()
    {
        var remote = new RemoteTestSender();
        await using var host = await StartAsync(remote, o => o.EmailVerification.SendOnSignUp = false);
        await ResetRequestedAsync(host, "lapsed@outbox.test");
        var claimedUntil = host.Runtime.Now.AddSeconds(120);
        await host.WithDbAsync(db => db.Set<OutboxRow>().ExecuteUpdateAsync(s => s
            .SetProperty(r => r.ClaimedBy, "a-dispatcher-that-was-killed").SetProperty(r => r.ClaimedUntil, claimedUntil).SetProperty(r => r.Attempts, 1)));

        var dispatcher = Dispatcher(host);
        Assert.Equal(0, await dispatcher.RunOnceAsync());
        host.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(1, await dispatcher.RunOnceAsync());
        Assert.Equal("lapsed@outbox.test", Assert.Single(remote.Sent).To);
        Assert.Empty(await RowsAsync(host));
    }

    [Fact]
    public async Task ARequestAboutAnUnknownAccount_WritesADecoyRow_ThatIsNeverSent()
    {
        var remote = new RemoteTestSender();
        await using var host = await StartAsync(remote);
        Assert.Equal(200, (await host.Client().PostAsync("/request-password-reset", new { email = "nobody@outbox.test" })).Status);
        var decoy = (await RowsAsync(host)).Single();
        Assert.Equal(OutboxRow.DecoyKind, decoy.Kind);
        Assert.NotNull(decoy.Payload);

        Assert.Equal(1, await Dispatcher(host).RunOnceAsync());
        Assert.Empty(await RowsAsync(host));
        Assert.Equal(0, remote.Calls);
    }

    [Fact]
    public async Task WithTwoSenders_ARetryGoesOnlyToTheOneThatFailed()
    {
        var mail = new RemoteTestSender();
        var failing = new RemoteTestSender();
        var fail = true;
        failing.Before = (_, _) => fail ? throw new IOException("gateway down") : Task.CompletedTask;
        await using var host = await AuthTestHost.StartAsync(o => o.Messages.Dispatch = false, services =>
        {
            services.AddSingleton<IAuthMessageSender>(mail);
            services.AddSingleton<IAuthMessageSender>(failing);
        }, withSender: false);
        await ResetRequestedAsync(host, "two@outbox.test");

        Assert.Equal(1, await Dispatcher(host).RunOnceAsync());
        Assert.Single(mail.Sent);
        fail = false;
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await Dispatcher(host).RunOnceAsync());
        Assert.Single(mail.Sent);
        Assert.Single(failing.Sent);
        Assert.Empty(await RowsAsync(host));
    }
}
