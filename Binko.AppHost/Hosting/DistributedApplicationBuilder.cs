using Microsoft.Extensions.Configuration;

namespace Binko.AppHost.Hosting;

/// <summary>
/// Declares the application model (resources and how they relate), as Aspire's <c>IDistributedApplicationBuilder</c>.
/// Configuration comes from environment variables and the command line (which wins). There is deliberately no
/// appsettings.json: the projects' own appsettings.json files share the name and would be mistaken for it.
/// </summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(string[] args)
    {
        Args = args;
        Configuration = new ConfigurationManager();
        Configuration
            .AddEnvironmentVariables()
            .AddCommandLine(args, new Dictionary<string, string>
            {
                // Aspire's publishing switches, as azd passes them.
                ["--publisher"] = "Publishing:Publisher",
                ["--output-path"] = "Publishing:OutputPath",
            });

        var publisher = Configuration["Publishing:Publisher"];
        ExecutionContext = new DistributedApplicationExecutionContext(
            string.IsNullOrEmpty(publisher) ? DistributedApplicationOperation.Run : DistributedApplicationOperation.Publish,
            publisher,
            Configuration["Publishing:OutputPath"]);
    }

    public string[] Args { get; }
    public ConfigurationManager Configuration { get; }
    public DistributedApplicationExecutionContext ExecutionContext { get; }
    public IReadOnlyList<IResource> Resources => _resources;

    /// <summary>Where the AppHost writes its own messages and the resources' console output (tests swap these).</summary>
    public TextWriter Output { get; set; } = Console.Out;

    public TextWriter Error { get; set; } = Console.Error;

    /// <summary>Run after the application has stopped and released everything; the testing builder deletes its temporary directory here.</summary>
    internal List<Func<ValueTask>> DisposeCallbacks { get; } = [];

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        if (!IsValidName(resource.Name))
            throw new ArgumentException($"Resource name '{resource.Name}' is invalid: use ASCII letters, digits and '-', starting with a letter.");
        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    /// <summary>A parameter read from <c>Parameters:{name}</c>.</summary>
    public IResourceBuilder<ParameterResource> AddParameter(string name, bool secret = false) =>
        AddResource(new ParameterResource(name, secret, generatedMinLength: 0, generatedSpecial: false));

    public DistributedApplication Build() => new(this);

    internal ParameterResource AddGeneratedPassword(string name, bool special) =>
        AddResource(new ParameterResource(name, secret: true, generatedMinLength: 22, generatedSpecial: special)).Resource;

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
