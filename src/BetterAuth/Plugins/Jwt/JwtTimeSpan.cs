using System.Globalization;
using System.Text.RegularExpressions;

namespace BetterAuth.Plugins.Jwt;

/// <summary>
/// jose's time span text (<c>setExpirationTime("15m")</c>): a number, an optional space and a unit (s, sec, secs,
/// second(s), m, min(s), minute(s), h, hr(s), hour(s), d, day(s), w, week(s), y, yr(s), year(s) = 365.25 days), with an
/// optional sign, or "ago" / "from now" after it.
/// </summary>
internal static partial class JwtTimeSpan
{
    [GeneratedRegex(@"^(\+|\-)? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParseSeconds(string? text, out long seconds)
    {
        seconds = 0;
        var match = text is null ? null : Pattern().Match(text);
        if (match is null || !match.Success) return false;
        var value = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups[3].Value.ToLowerInvariant();
        double factor = unit switch
        {
            "sec" or "secs" or "second" or "seconds" or "s" => 1,
            "minute" or "minutes" or "min" or "mins" or "m" => 60,
            "hour" or "hours" or "hr" or "hrs" or "h" => 3600,
            "day" or "days" or "d" => 86400,
            "week" or "weeks" or "w" => 604800,
            _ => 31_557_600,
        };
        seconds = (long)Math.Round(value * factor, MidpointRounding.AwayFromZero);
        var negative = match.Groups[1].Value == "-" || match.Groups[4].Value.Equals("ago", StringComparison.OrdinalIgnoreCase);
        if (negative) seconds = -seconds;
        return true;
    }
}
