using System.Diagnostics;
using System.Net;
using BetterAuth.Core.Telemetry;

namespace BetterAuth.Core.Storage.Redis;

/// <summary>
/// Client spans for Better Auth's Redis commands: named by what they do (<c>EVAL session_cache.get</c>), with
/// <c>db.system.name=redis</c> and the server's address. Keys hold session tokens and client IPs: they are never recorded.
/// </summary>
internal static class RedisSpans
{
    public static Activity? Start(RedisConnection redis, string operation, string what)
    {
        var summary = $"{operation} {what}";
        var activity = AuthTelemetry.StartClient(summary);
        if (activity is null) return null;
        activity.SetTag(AuthTelemetry.DbSystem, "redis");
        activity.SetTag(AuthTelemetry.DbOperation, operation);
        activity.SetTag(AuthTelemetry.DbSummary, summary);
        switch (redis.EndPoint)
        {
            case DnsEndPoint dns:
                activity.SetTag(AuthTelemetry.ServerAddress, dns.Host);
                activity.SetTag(AuthTelemetry.ServerPort, dns.Port);
                break;
            case IPEndPoint ip:
                activity.SetTag(AuthTelemetry.ServerAddress, ip.Address.ToString());
                activity.SetTag(AuthTelemetry.ServerPort, ip.Port);
                break;
        }
        return activity;
    }

    public static void Failed(Activity? activity, Exception e)
    {
        if (activity is not null) AuthTelemetry.Fail(activity, AuthTelemetry.ErrorTypeOf(e));
    }
}
