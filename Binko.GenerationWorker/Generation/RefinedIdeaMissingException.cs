namespace Binko.GenerationWorker.Generation;

/// <summary>The idea a refinement job refines no longer exists (or is not the owner's): the job fails for good.</summary>
public sealed class RefinedIdeaMissingException(Guid ideaId) : Exception($"Generated idea {ideaId} no longer exists.");
