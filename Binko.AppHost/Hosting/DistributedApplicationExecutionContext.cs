namespace Binko.AppHost.Hosting;

public enum DistributedApplicationOperation
{
    /// <summary>Start everything locally (<c>dotnet run --project Binko.AppHost</c>).</summary>
    Run,

    /// <summary>Write a deployment manifest (<c>--publisher manifest --output-path X.json</c>).</summary>
    Publish,
}

/// <summary>Whether this invocation runs the application or publishes it, as in Aspire.</summary>
public sealed class DistributedApplicationExecutionContext(DistributedApplicationOperation operation, string? publisherName, string? outputPath)
{
    public DistributedApplicationOperation Operation { get; } = operation;
    public bool IsRunMode => Operation == DistributedApplicationOperation.Run;
    public bool IsPublishMode => Operation == DistributedApplicationOperation.Publish;

    /// <summary>Only "manifest" is supported.</summary>
    public string? PublisherName { get; } = publisherName;

    /// <summary>The manifest file to write; defaults to aspire-manifest.json in the current directory.</summary>
    public string? OutputPath { get; } = outputPath;
}
