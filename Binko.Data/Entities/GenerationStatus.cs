namespace Binko.Data.Entities;

public enum GenerationStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}
