namespace Binko.Data.Entities;

public enum GenerationKind
{
    /// <summary>New ideas for a profile.</summary>
    Generate,

    /// <summary>A new version of one generated idea, following an instruction.</summary>
    Refine,
}
