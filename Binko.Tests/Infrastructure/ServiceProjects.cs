using System.Reflection;
using Binko.Tests.Infrastructure.Servers;

namespace Binko.Tests.Infrastructure;

/// <summary>
/// The services as real processes: their built assemblies run with <c>dotnet exec</c>, as a container platform runs
/// them. Binko.Tests.csproj records each reference marked <c>Service="true"</c> as
/// <c>[assembly: AssemblyMetadata("Binko.Api", "&lt;its TargetPath&gt;")]</c> (target RecordServiceTargetPaths).
/// </summary>
internal static class ServiceProjects
{
    public const string Api = "Binko.Api";
    public const string GenerationWorker = "Binko.GenerationWorker";

    /// <summary>The built assembly of <paramref name="project"/>.</summary>
    public static string TargetPath(string project) =>
        typeof(ServiceProjects).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == project)?.Value
        ?? throw new ArgumentException($"{project} is not a ProjectReference of Binko.Tests marked Service=\"true\".", nameof(project));

    /// <summary>
    /// Starts <paramref name="project"/> listening on http://127.0.0.1:<paramref name="port"/>, with
    /// <paramref name="settings"/> as environment variables (<c>ConnectionStrings:redis</c> as <c>ConnectionStrings__redis</c>).
    /// </summary>
    public static ChildProcess Start(string project, IReadOnlyDictionary<string, string?> settings, int port)
    {
        var targetPath = TargetPath(project);
        var environment = settings.ToDictionary(setting => setting.Key.Replace(":", "__"), setting => setting.Value);
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        return ChildProcess.Start(new ChildProcessOptions
        {
            FileName = "dotnet",
            Arguments = ["exec", targetPath],
            Environment = environment,
            WorkingDirectory = Path.GetDirectoryName(targetPath),
            Output = ServerOutput.ToTestOutput(project),
        });
    }
}
