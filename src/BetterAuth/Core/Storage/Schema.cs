namespace BetterAuth.Core.Storage;

/// <summary>The type of a plugin column.</summary>
public enum FieldType
{
    /// <summary>Text.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Public API: mirrors Better Auth's field type names (string, boolean, number, date).")]
    String,
    /// <summary>A boolean (0/1 on SQLite).</summary>
    Boolean,
    /// <summary>A 64-bit integer.</summary>
    Number,
    /// <summary>A UTC date and time.</summary>
    Date,
}

/// <summary>
/// A column a plugin adds to the user or session table, with Better Auth's field attributes:
/// <c>Input=false</c> fields cannot be set by clients, <c>Returned=false</c> fields never leave the server.
/// </summary>
public sealed record FieldDefinition(string Name, FieldType Type)
{
    /// <summary>NOT NULL.</summary>
    public bool Required { get; init; }
    /// <summary>Unique index.</summary>
    public bool Unique { get; init; }

    /// <summary>
    /// Whether a request body may set the field (Better Auth's <c>input</c>). Read by <see cref="Users.UserInput"/>
    /// on every write path: sign-up and update-user ignore a field that is not input, an admin's create-user refuses
    /// it; only the declaring plugin's own flows write it.
    /// </summary>
    public bool Input { get; init; } = true;

    /// <summary>
    /// For a field that is not <see cref="Input"/>: update-user may still clear it (JSON <c>null</c>), so a user can drop
    /// a value the plugin's flows gave them (a verified phone number) without being able to set one.
    /// </summary>
    public bool ClientMayClear { get; init; }

    /// <summary>Whether answers include it.</summary>
    public bool Returned { get; init; } = true;
    /// <summary>Written on create when the client gives no value (Better Auth's defaultValue).</summary>
    public object? DefaultValue { get; init; }
    /// <summary>
    /// What a new row gets: the default only when it is truthy, because Better Auth's parseInputData skips
    /// <c>false</c>, <c>0</c> and <c>""</c> defaults and leaves such columns null (clients see <c>null</c>).
    /// </summary>
    public object? CreateDefault => DefaultValue is null or false or 0 or 0L or "" ? null : DefaultValue;

    /// <summary>Applied to a client-given value before it is stored (Better Auth's transform.input).</summary>
    public Func<object?, object?>? TransformInput { get; init; }

    /// <summary>The CLR type of the column.</summary>
    public Type ClrType => Type switch
    {
        FieldType.String => typeof(string),
        FieldType.Boolean => typeof(bool?),
        FieldType.Number => typeof(long?),
        FieldType.Date => typeof(DateTime?),
        _ => typeof(object),
    };
}

/// <summary>The extensible part of the schema: extra columns on user and session, in the order they were added.</summary>
internal sealed class AuthSchema
{
    private readonly List<FieldDefinition> _userFields = new();
    private readonly List<FieldDefinition> _sessionFields = new();

    public IReadOnlyList<FieldDefinition> UserFields => _userFields;
    public IReadOnlyList<FieldDefinition> SessionFields => _sessionFields;

    public void AddUserField(FieldDefinition field) => Add(_userFields, field);
    public void AddSessionField(FieldDefinition field) => Add(_sessionFields, field);

    private static void Add(List<FieldDefinition> fields, FieldDefinition field)
    {
        if (fields.Any(f => f.Name == field.Name))
            throw new InvalidOperationException($"Field '{field.Name}' is defined twice.");
        fields.Add(field);
    }
}
