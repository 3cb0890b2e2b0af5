using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BetterAuth.Tests.Support;

/// <summary>
/// What an OpenTelemetry SDK subscribed to Better Auth exports, through OpenTelemetry's in-memory exporters: the spans
/// of <see cref="BetterAuthDiagnostics.ActivitySourceName"/>, the metrics of <see cref="BetterAuthDiagnostics.MeterName"/>
/// and every log record of the host it is added to (<see cref="AddTo"/>). The tracer and meter providers listen
/// process-wide, so tests using this class belong to <see cref="TelemetryCollection"/>, which runs alone.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    // The exporters add from whichever thread ends a span or writes a log: collections that lock.
    private readonly LockedList<Activity> _spans = new();
    private readonly LockedList<MetricSnapshot> _metrics = new();
    private readonly LockedList<LogRecord> _logs = new();
    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;

    public TelemetryCapture()
    {
        // Always on: the test host has no ASP.NET Core instrumentation, so each request's parent is ASP.NET Core's
        // unrecorded activity, which the default parent-based sampler would follow and drop every span for.
        _tracer = Sdk.CreateTracerProviderBuilder().AddSource(BetterAuthDiagnostics.ActivitySourceName)
            .SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(_spans).Build()!;
        _meter = Sdk.CreateMeterProviderBuilder().AddMeter(BetterAuthDiagnostics.MeterName).AddInMemoryExporter(_metrics).Build()!;
    }

    /// <summary>Sends the host's logs (every category and level) to this capture; pass as AuthTestHost's services callback.</summary>
    public void AddTo(IServiceCollection services) => services.AddLogging(logging =>
    {
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
            o.AddInMemoryExporter(_logs);
        });
    });

    /// <summary>The spans ended so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get => _spans.Snapshot();
    }

    /// <summary>The log records written so far.</summary>
    public IReadOnlyList<LogRecord> Logs
    {
        get => _logs.Snapshot();
    }

    /// <summary>The operation span of an operation id (<c>better_auth.signInEmail</c>); exactly one must have ended.</summary>
    public Activity Operation(string operationId)
    {
        var spans = Spans;
        var found = spans.Where(s => s.OperationName == "better_auth." + operationId).ToList();
        Assert.True(found.Count == 1, $"{found.Count} spans better_auth.{operationId} among: {string.Join(", ", spans.Select(s => s.OperationName).Distinct())}");
        return found[0];
    }

    /// <summary>The spans below <paramref name="parent"/> (children, grandchildren…).</summary>
    public IReadOnlyList<Activity> Descendants(Activity parent)
    {
        var spans = Spans;
        var ids = new HashSet<ActivitySpanId> { parent.SpanId };
        var found = new List<Activity>();
        bool added;
        do
        {
            added = false;
            foreach (var span in spans)
                if (!ids.Contains(span.SpanId) && ids.Contains(span.ParentSpanId) && span.TraceId == parent.TraceId)
                {
                    ids.Add(span.SpanId);
                    found.Add(span);
                    added = true;
                }
        } while (added);
        return found;
    }

    /// <summary>The current (cumulative) points of every metric, collected now.</summary>
    public IReadOnlyList<MetricSnapshot> Metrics()
    {
        _metrics.Clear();
        _meter.ForceFlush();
        return _metrics.Snapshot();
    }

    /// <summary>The points of one metric as (tags, long sum or histogram count, double sum).</summary>
    public IReadOnlyList<MetricValue> Points(string metricName)
    {
        var values = new List<MetricValue>();
        foreach (var metric in Metrics().Where(m => m.Name == metricName))
            foreach (var point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
                var value = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                    MetricType.Histogram => point.GetHistogramCount(),
                    _ => 0,
                };
                values.Add(new MetricValue(metric.Name, metric.Unit, tags, value));
            }
        return values;
    }

    /// <summary>The value of the metric's point with exactly these tags (0 when there is none).</summary>
    public long Value(string metricName, params (string Key, object? Value)[] tags) =>
        Points(metricName).Where(p => p.Tags.Count == tags.Length && tags.All(t => p.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
            .Sum(p => p.Value);

    public void Dispose()
    {
        _tracer.Dispose();
        _meter.Dispose();
    }
}

/// <summary>A list whose every operation takes a lock.</summary>
internal sealed class LockedList<T> : ICollection<T>
{
    private readonly List<T> _items = new();
    public int Count { get { lock (_items) return _items.Count; } }
    public bool IsReadOnly => false;
    public void Add(T item) { lock (_items) _items.Add(item); }
    public void Clear() { lock (_items) _items.Clear(); }
    public bool Contains(T item) { lock (_items) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (_items) return _items.Remove(item); }
    public List<T> Snapshot() { lock (_items) return _items.ToList(); }
    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One point of a metric: its tags and its sum (counters) or count (histograms).</summary>
public sealed record MetricValue(string Name, string Unit, IReadOnlyDictionary<string, object?> Tags, long Value);

/// <summary>Tests that subscribe to the library's process-wide ActivitySource and Meter: run alone, so no other test's spans or metrics mix in.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "An xUnit collection definition; *Collection is xUnit's naming.")]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
