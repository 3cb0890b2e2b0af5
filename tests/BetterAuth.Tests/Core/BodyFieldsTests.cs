using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;

namespace BetterAuth.Tests.Core;

/// <summary>The one body reader's null rules, member by member: absent, <c>null</c>, a wrong type and a value, per <see cref="Presence"/>.</summary>
public sealed class BodyFieldsTests
{
    private static BodyFields Body(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    private static string Outcome(Func<object?> read)
    {
        try { return read() is { } v ? $"value {v}" : "no value"; }
        catch (AuthError e) { return $"{e.Status} {e.Code}"; }
    }

    [Theory]
    // member:      absent          null                         wrong type                   a value
    [InlineData(nameof(Presence.Required), "400 VALIDATION_ERROR", "400 VALIDATION_ERROR", "400 VALIDATION_ERROR", "value x")]
    [InlineData(nameof(Presence.Optional), "no value", "400 VALIDATION_ERROR", "400 VALIDATION_ERROR", "value x")]
    [InlineData(nameof(Presence.Nullish), "no value", "no value", "400 VALIDATION_ERROR", "value x")]
    public void String_FollowsItsPresence(string rule, string absent, string isNull, string wrongType, string value)
    {
        var presence = Enum.Parse<Presence>(rule);
        Assert.Equal(absent, Outcome(() => Body("{}").String("s", presence)));
        Assert.Equal(isNull, Outcome(() => Body("""{"s":null}""").String("s", presence)));
        Assert.Equal(wrongType, Outcome(() => Body("""{"s":1}""").String("s", presence)));
        Assert.Equal(value, Outcome(() => Body("""{"s":"x"}""").String("s", presence)));
    }

    [Theory]
    [InlineData(nameof(Presence.Required), "400 VALIDATION_ERROR", "400 VALIDATION_ERROR")]
    [InlineData(nameof(Presence.Optional), "no value", "400 VALIDATION_ERROR")]
    [InlineData(nameof(Presence.Nullish), "no value", "no value")]
    public void EveryTypedRead_SharesTheSameNullRule(string rule, string absent, string isNull)
    {
        var presence = Enum.Parse<Presence>(rule);
        foreach (var (name, read, wrong) in new (string, Func<BodyFields, object?>, string)[]
                 {
                     ("bool", b => b.Bool("m", presence), "1"), ("number", b => b.Number("m", presence), "\"1\""),
                     ("whole", b => b.Whole("m", presence), "true"), ("object", b => b.Object("m", presence), "[]"),
                     ("roles", b => b.Roles("m", presence), "{}"), ("permissions", b => b.Permissions("m", presence), "[]"),
                 })
        {
            Assert.True(absent == Outcome(() => read(Body("{}"))), $"{name} absent");
            Assert.True(isNull == Outcome(() => read(Body("""{"m":null}"""))), $"{name} null");
            Assert.True("400 VALIDATION_ERROR" == Outcome(() => read(Body($$"""{"m":{{wrong}}}"""))), $"{name} wrong type");
        }
    }

    [Fact]
    public void TypedReads_CheckTheirValues()
    {
        Assert.Equal(2.5, Body("""{"n":2.5}""").Number("n", Presence.Optional));
        Assert.Equal("400 VALIDATION_ERROR", Outcome(() => Body("""{"n":0}""").Number("n", Presence.Optional, min: 1)));
        Assert.Equal("400 VALIDATION_ERROR", Outcome(() => Body("""{"n":1.5}""").Whole("n", Presence.Optional)));
        Assert.Equal("400 VALIDATION_ERROR", Outcome(() => Body("""{"n":1e999}""").Number("n", Presence.Optional)));
        Assert.Equal("admin,user", Body("""{"r":["admin","user"]}""").Roles("r", Presence.Required));
        Assert.Equal("admin", Body("""{"r":"admin"}""").Roles("r", Presence.Required));
        Assert.Equal("400 VALIDATION_ERROR", Outcome(() => Body("""{"r":["admin",1]}""").Roles("r", Presence.Required)));
        Assert.Equal("400 VALIDATION_ERROR", Outcome(() => Body("""{"p":{"user":"list"}}""").Permissions("p", Presence.Required)));
    }

    [Fact]
    public void Permissions_NamedTwice_KeepTheFirstPlaceAndTheLastList_AsJsonParseDoes()
    {
        var request = Body("""{"p":{"user":["ban"],"session":["list"],"user":["list"]}}""").Permissions("p", Presence.Required)!;
        Assert.Equal(["user", "session"], request.Select(p => p.Key));
        Assert.Equal(["list"], request[0].Value);
    }

    [Fact]
    public void CoercedString_IsJavaScriptsStringOfAnyValue()
    {
        var body = Body("""{"s":"a","n":12,"f":1.5,"t":true,"z":null,"o":{},"a":["x",null,2]}""");
        Assert.Equal(["a", "12", "1.5", "true", "null", "[object Object]", "x,,2", "undefined"],
            new[] { "s", "n", "f", "t", "z", "o", "a", "missing" }.Select(body.CoercedString));
        Assert.Null(body.OptionalCoercedString("missing"));
        Assert.Equal("null", body.OptionalCoercedString("z"));
    }

    [Fact]
    public void PresenceChecks_TellAbsentFromNull()
    {
        var body = Body("""{"z":null,"s":"x"}""");
        Assert.Equal((true, true, false), (body.Has("z"), body.IsNull("z"), body.IsString("z")));
        Assert.Equal((true, false, true), (body.Has("s"), body.IsNull("s"), body.IsString("s")));
        Assert.Equal((false, false, false), (body.Has("m"), body.IsNull("m"), body.IsString("m")));
    }
}
