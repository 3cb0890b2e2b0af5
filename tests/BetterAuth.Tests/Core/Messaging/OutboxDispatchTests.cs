using BetterAuth.Core.Messaging;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Core.Messaging.OutboxTestKit;

namespace BetterAuth.Tests.Core.Messaging;

/// <summary>
/// The dispatcher among others and at shutdown: several dispatchers on one database (SQLite in the default run,
/// PostgreSQL in the PostgreSQL run) send each message exactly once; a live dispatcher sends what a request queued
/// without waiting for its poll; on stop it finishes the sends under way and, when the shutdown timeout cuts one,
/// releases that message for the next instance instead of counting a failure.
/// </summary>
public sealed class OutboxDispatchTests
{
    [Fact]
    public async Task SeveralDispatchersOnOneDatabase_SendEachMessageExactlyOnce()
    {
        var remote = new RemoteTestSender { Before = (_, ct) => Task.Delay(3, ct) };
        // Batches of 3: the 40 messages need at least 14 claims, so the six dispatchers contend for rows.
        void SmallBatches(BetterAuthOptions o) => o.Messages.BatchSize = 3;
        await using var a = await StartAsync(remote, SmallBatches);
        await using var b = await StartAsync(remote, SmallBatches, sharing: a);
        b.Clock.SetUtcNow(a.Clock.GetUtcNow());
        const int messages = 40;
        for (var i = 0; i < messages; i++) await a.Client().SignUpAsync($"once-{i}@outbox.test");
        Assert.Equal(messages, (await RowsAsync(a)).Count);

        // Six rounds at a time, three per instance, until nothing is left to claim.
        // A dispatcher that finds nothing to claim while the others still hold rows waits a moment and looks again; the
        // bound is time, not rounds, so a loaded machine cannot fail it by spinning faster than the others send.
        var rounds = 0; var seen = new List<int>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        async Task DrainAsync(MessageDispatcher dispatcher)
        {
            while (true)
            {
                var n = await dispatcher.RunOnceAsync(); lock (seen) seen.Add(n); if (n > 0) { Interlocked.Increment(ref rounds); continue; }
                if ((await RowsAsync(a)).Count == 0) return;
                Assert.True(DateTime.UtcNow < deadline, "the messages were not all sent");
                await Task.Delay(5);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => DrainAsync(Dispatcher(i % 2 == 0 ? a : b)))));

        var recipients = remote.Sent.Select(m => m.To).ToList();
        Assert.Equal(messages, recipients.Count);
        Assert.Equal(messages, recipients.Distinct().Count());
        Assert.Equal(messages, remote.Calls);
        Assert.Empty(await RowsAsync(a));
        Assert.True(rounds >= 14, $"{rounds} claiming rounds: {string.Join(",", seen.Distinct())}");
    }

    [Fact]
    public async Task ALiveDispatcher_SendsWhatARequestQueued_WithoutWaitingForItsPoll()
    {
        var remote = new RemoteTestSender();
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        remote.Before = (_, _) => { sent.TrySetResult(); return Task.CompletedTask; };
        await using var host = await StartAsync(remote, o => o.Messages.PollInterval = 3600, dispatch: true);
        await host.Client().SignUpAsync("live@outbox.test");
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(async () => (await RowsAsync(host)).Count == 0);
    }

    [Fact]
    public async Task OnStop_TheSendUnderWayFinishes_AndItsMessageIsDeleted()
    {
        var remote = new RemoteTestSender();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        remote.Before = async (_, _) => { started.TrySetResult(); await release.Task; };
        await using var host = await StartAsync(remote, dispatch: true);
        await host.Client().SignUpAsync("flush@outbox.test");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopping = host.StopAsync();
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the host waits for the send under way");
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("flush@outbox.test", Assert.Single(remote.Sent).To);
        Assert.Empty(await RowsAsync(host));
    }

    [Fact]
    public async Task OnStop_ClaimedMessagesNotYetStarted_AreReleasedUnsent()
    {
        var remote = new RemoteTestSender();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        remote.Before = async (_, _) => { started.TrySetResult(); await release.Task; };
        await using var host = await StartAsync(remote, o => o.Messages.Concurrency = 1);
        for (var i = 0; i < 3; i++) await host.Client().SignUpAsync($"batch-{i}@outbox.test");

        // One round claims all three and sends one at a time; the host stops while the first is under way.
        using var stopping = new CancellationTokenSource();
        var round = Dispatcher(host).RunOnceAsync(stopping.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stopping.Cancel();
        release.SetResult();
        Assert.Equal(3, await round.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Single(remote.Sent);
        var left = await RowsAsync(host);
        Assert.Equal(2, left.Count);
        Assert.All(left, r => Assert.Equal((OutboxRow.Pending, 0, (string?)null), (r.Status, r.Attempts, r.ClaimedBy)));
        Assert.DoesNotContain(left, r => r.Recipient == remote.Sent.Single().To);
    }

    [Fact]
    public async Task ASendCutByTheShutdownTimeout_IsReleasedForTheNextInstance_NotCountedAsAFailure()
    {
        var remote = new RemoteTestSender();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        remote.Before = async (_, ct) => { started.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); };
        await using var host = await StartAsync(remote, dispatch: true);
        await host.Client().SignUpAsync("cut@outbox.test");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await host.StopAsync(timeout.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(async () => (await RowsAsync(host)).Single().ClaimedBy is null);
        var row = (await RowsAsync(host)).Single();
        Assert.Equal((OutboxRow.Pending, 0, null), (row.Status, row.Attempts, row.LastError));
        Assert.NotNull(row.Payload);
        Assert.Empty(remote.Sent);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
