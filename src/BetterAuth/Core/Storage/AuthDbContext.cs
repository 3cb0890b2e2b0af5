using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Core.Storage;

/// <summary>
/// EF Core context over Better Auth's tables with their default names (<c>user</c>, <c>session</c>, <c>account</c>,
/// <c>verification</c>, camelCase columns), so a database written by Better Auth is served unchanged.
/// Plugin columns and tables come from the <see cref="AuthModel"/> carried in the options.
/// </summary>
public class AuthDbContext : DbContext
{
    /// <summary>The library's own context (pooled; see <c>UseSqlite</c>/<c>UsePostgreSql</c>).</summary>
    public AuthDbContext(DbContextOptions<AuthDbContext> options) : base(options) { }

    /// <summary>For a host's context that derives from this one to hold Better Auth's tables next to its own.</summary>
    protected AuthDbContext(DbContextOptions options) : base(options) { }

    /// <summary>The <c>user</c> table.</summary>
    public DbSet<User> Users => Set<User>();
    /// <summary>The <c>session</c> table.</summary>
    public DbSet<Session> Sessions => Set<Session>();
    /// <summary>The <c>account</c> table.</summary>
    public DbSet<Account> Accounts => Set<Account>();
    /// <summary>The <c>verification</c> table.</summary>
    public DbSet<Verification> Verifications => Set<Verification>();

    /// <summary>Run when the current transaction commits or rolls back (see <see cref="StorageTransactionInterceptor"/>).</summary>
    internal List<Func<Task>> AfterTransaction { get; } = new();

    internal AuthModel AuthModel =>
        this.GetService<IDbContextOptions>().FindExtension<AuthModelExtension>()?.Model
        ?? throw new InvalidOperationException("BetterAuth: the context's options lack Better Auth's model; call UseBetterAuth(serviceProvider) on them.");

    /// <summary>Maps Better Auth's tables; a derived context calls this first, then maps its own entities.</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var model = AuthModel;
        var user = modelBuilder.Entity<User>().ToTable("user");
        user.HasKey(x => x.Id);
        user.HasIndex(x => x.Email).IsUnique();
        user.Ignore(x => x.Extra);
        AddExtraFields(user, model.Schema.UserFields);

        var session = modelBuilder.Entity<Session>().ToTable("session");
        session.HasKey(x => x.Id);
        session.HasIndex(x => x.Token).IsUnique();
        session.HasIndex(x => x.UserId);
        session.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        session.Ignore(x => x.Extra);
        AddExtraFields(session, model.Schema.SessionFields);

        var account = modelBuilder.Entity<Account>().ToTable("account");
        account.HasKey(x => x.Id);
        account.HasIndex(x => x.UserId);
        account.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);

        var verification = modelBuilder.Entity<Verification>().ToTable("verification");
        verification.HasKey(x => x.Id);
        verification.HasIndex(x => x.Identifier);

        var before = modelBuilder.Model.GetEntityTypes().ToHashSet();
        foreach (var configure in model.PluginModels) configure(modelBuilder);

        // Only Better Auth's tables follow its conventions; a host's own entities in a derived context keep EF's.
        var ours = modelBuilder.Model.GetEntityTypes().Where(e => !before.Contains(e) || e.ClrType == typeof(User) || e.ClrType == typeof(Session) ||
                                                       e.ClrType == typeof(Account) || e.ClrType == typeof(Verification)).ToList();
        StorageConventions.Apply(ours, Database.ProviderName);
    }

    private static void AddExtraFields<T>(EntityTypeBuilder<T> entity, IReadOnlyList<FieldDefinition> fields) where T : ExtensibleEntity
    {
        foreach (var field in fields)
        {
            var p = entity.IndexerProperty(field.ClrType, field.Name);
            p.IsRequired(field.Required);
            if (field.Unique) entity.HasIndex(field.Name).IsUnique();
        }
    }
}

/// <summary>What shapes the EF model: the extended schema and the plugins' own tables.</summary>
internal sealed class AuthModel(AuthSchema schema, IReadOnlyList<Action<ModelBuilder>> pluginModels)
{
    public AuthSchema Schema { get; } = schema;
    public IReadOnlyList<Action<ModelBuilder>> PluginModels { get; } = pluginModels;
}

/// <summary>Carries the <see cref="AuthModel"/> inside DbContextOptions, so pooled contexts can build (and cache) their model per configuration.</summary>
internal sealed class AuthModelExtension(AuthModel model) : IDbContextOptionsExtension
{
    public AuthModel Model { get; } = model;
    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);
    public void ApplyServices(IServiceCollection services) { }
    public void Validate(IDbContextOptions options) { }

    private sealed class ExtensionInfo(AuthModelExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;
        public override string LogFragment => "AuthModel ";
        public override int GetServiceProviderHashCode() => 0;
        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;
        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) { }
    }
}

/// <summary>Keys EF's model cache by AuthModel, so two auth instances with different plugins in one process each get their own model.</summary>
internal sealed class AuthModelCacheKeyFactory : Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime)
        => (context.GetType(), (context as AuthDbContext)?.AuthModel, designTime);
}

internal static class AuthDbContextOptionsExtensions
{
    public static DbContextOptionsBuilder UseAuthModel(this DbContextOptionsBuilder builder, AuthModel model)
    {
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new AuthModelExtension(model));
        builder.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, AuthModelCacheKeyFactory>();
        return builder;
    }
}
