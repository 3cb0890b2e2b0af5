using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using BetterAuth.Core.Telemetry;

namespace BetterAuth.Core.Crypto;

/// <summary>
/// Dedicated threads for password hashing, one per core, at a lower OS scheduling priority (nice 10 on Linux).
/// A sign-in storm then uses whatever CPU is left over while session reads, which take microseconds, keep
/// their latency: the kernel runs request threads first. At most one 32 MiB scrypt block per worker exists at once.
/// The queue is measured (<see cref="AuthMetrics"/>): how many hashes wait, how long each waited and how long it ran.
/// </summary>
internal sealed class HashingWorkers : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread[] _threads;
    private readonly AuthMetrics? _metrics;

    public HashingWorkers(int count, AuthMetrics? metrics = null)
    {
        _metrics = metrics;
        _threads = new Thread[Math.Max(1, count)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"password-hashing-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>How many hashes can run at once (the worker threads).</summary>
    public int Count => _threads.Length;

    /// <param name="work">The hash or verification to run on a worker thread; its result completes the task.</param>
    /// <param name="operation">What the work is (<c>hash</c> or <c>verify</c>), for the metrics.</param>
    /// <param name="ct">Cancels the work if it has not started yet (a started hash runs to its end).</param>
    public Task<T> RunAsync<T>(Func<T> work, string operation, CancellationToken ct)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = Stopwatch.GetTimestamp();
        var tag = new KeyValuePair<string, object?>(AuthTelemetry.PasswordHashOperation, operation);
        _metrics?.PasswordHashesPending.Add(1, tag);
        try
        {
            _work.Add(() =>
            {
                _metrics?.PasswordHashesPending.Add(-1, tag);
                if (ct.IsCancellationRequested) { tcs.TrySetCanceled(ct); return; }
                var started = Stopwatch.GetTimestamp();
                _metrics?.PasswordHashWaitTime.Record(Stopwatch.GetElapsedTime(queued, started).TotalSeconds, tag);
                try { tcs.TrySetResult(work()); }
                catch (Exception e) { tcs.TrySetException(e); }
                finally { _metrics?.PasswordHashDuration.Record(AuthMetrics.Seconds(started), tag); }
            }, ct);
        }
        catch
        {
            _metrics?.PasswordHashesPending.Add(-1, tag);
            throw;
        }
        return tcs.Task;
    }

    private void Run()
    {
        LowerPriority();
        foreach (var work in _work.GetConsumingEnumerable()) work();
    }

    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = setpriority(0 /* PRIO_PROCESS: on Linux, one thread */, gettid(), 10); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    public void Dispose() => _work.CompleteAdding();

    [DllImport("libc", SetLastError = true)] private static extern int gettid();
    [DllImport("libc", SetLastError = true)] private static extern int setpriority(int which, int who, int prio);
}
