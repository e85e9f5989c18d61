namespace Binko.AppHost.Hosting;

/// <summary>
/// Describes a project the AppHost runs, as Aspire's <c>Projects.*</c> classes do. The build generates one class per
/// <c>ProjectReference</c> marked <c>IsAspireProjectResource="true"</c> (build/ProjectMetadata.targets).
/// </summary>
public interface IProjectMetadata
{
    /// <summary>Full path of the .csproj file.</summary>
    string ProjectPath { get; }

    /// <summary>Full path of the built assembly (bin/&lt;Configuration&gt;/&lt;tfm&gt;/Name.dll) that run mode starts.</summary>
    string TargetPath { get; }
}
