using System.Text.Json;
using Binko.Api.Extensions;
using Binko.Api.Http;
using Binko.Api.Models;
using Binko.Api.RateLimiting;
using Binko.Data;
using Binko.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Npgsql;

namespace Binko.Api.Apis;

/// <summary>The curated ideas catalog: anyone reads (cached), admins write (invalidating the cache).</summary>
public static class IdeasApi
{
    public const string CacheTag = "ideas";
    private const int DefaultLimit = 20;
    private const int MaximumLimit = 100;
    private const int MaximumQueryLength = 200;
    private const string SlugIndex = "ix_ideas_slug";

    public static RouteGroupBuilder MapIdeasApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/ideas").WithTags("Ideas");
        var reads = api.MapGroup("").RequireRateLimiting(RateLimitPolicies.Reads);

        reads.MapGet("/", ListIdeas)
            .WithName("ListIdeas")
            .WithSummary("List catalog ideas")
            .WithDescription("Full-text search with `q` (ranked, title matches first), filters `difficulty`, `tag` and " +
                "`category`, and cursor pagination: pass `next_cursor` back as `cursor` until it is null.");
        reads.MapGet("/{id:guid}", GetIdea)
            .WithName("GetIdea")
            .WithSummary("Get one idea")
            .WithDescription("The ETag response header carries the version to send as If-Match when updating.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = api.MapGroup("").RequireAdmin().RequireRateLimiting(RateLimitPolicies.Writes)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapPost("/", CreateIdea)
            .WithName("CreateIdea")
            .WithSummary("Create an idea (admin)")
            .WithDescription("The slug is made from the title; a title whose slug exists answers 409.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{id:guid}", UpdateIdea)
            .WithName("UpdateIdea")
            .WithSummary("Replace an idea (admin)")
            .WithDescription("Requires If-Match with the idea's ETag: missing answers 428, stale answers 412.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        admin.MapDelete("/{id:guid}", DeleteIdea)
            .WithName("DeleteIdea")
            .WithSummary("Delete an idea (admin)")
            .WithDescription("Honours If-Match when given (412 when stale).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        admin.MapPost("/bulk", BulkCreateIdeas)
            .WithName("BulkCreateIdeas")
            .WithSummary("Create up to 100 ideas at once (admin)")
            .WithDescription("One transaction: all ideas are stored or none. Errors name the item, e.g. `items[3].title`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    public static async Task<Results<Ok<IdeaPage>, ValidationProblem>> ListIdeas(
        string? q, string? difficulty, string? tag, string? category, int? limit, string? cursor,
        BinkoDbContext db, HybridCache cache, CurrentUser user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaximumLimit)
            errors["limit"] = [$"Must be between 1 and {MaximumLimit}."];
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > MaximumQueryLength })
            errors["q"] = [$"Must be at most {MaximumQueryLength} characters."];
        SkillLevel? level = null;
        if (difficulty is not null)
        {
            if (TryParseLevel(difficulty, out var parsed))
                level = parsed;
            else
                errors["difficulty"] = ["Must be one of beginner, intermediate, advanced."];
        }
        if (tag is { Length: > 40 })
            errors["tag"] = ["Must be at most 40 characters."];
        if (category is { Length: > 40 })
            errors["category"] = ["Must be at most 40 characters."];
        // A NUL would fail in the database; no filter spans lines.
        foreach (var (name, value) in new[] { ("q", q), ("tag", tag), ("category", category) })
            if (value is not null && !SingleLineAttribute.IsSingleLine(value))
                errors.TryAdd(name, [SingleLineAttribute.Message]);
        IdeaCursor? after = null;
        if (cursor is not null)
        {
            if (IdeaCursor.TryDecode(cursor, search is not null, out var decoded))
                after = decoded;
            else
                errors["cursor"] = ["Not a cursor from this listing; pass back next_cursor unchanged."];
        }
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);

        var normalizedTag = tag?.Trim().ToLowerInvariant();
        var key = "ideas:list:" + JsonSerializer.Serialize(new object?[] { search, level?.ToString(), normalizedTag, category, pageSize, cursor });
        // A guest stores only first pages by difficulty and limit (at most 4 × 100 entries): a search, a tag, a category
        // or a cursor is text a guest could vary without end, one cache entry each. Theirs use the cache, but are
        // served from Postgres when it has nothing, bounded by the reads rate limit.
        var entry = user.IsAuthenticated || (search, normalizedTag, category, cursor) is (null, null, null, null)
            ? CacheEntries.Catalog
            : CacheEntries.CatalogReadOnly;
        var page = await cache.GetOrCreateAsync(key,
            token => LoadPageAsync(db, search, level, normalizedTag, category, pageSize, after, token),
            entry, tags: [CacheTag], cancellationToken: cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async ValueTask<IdeaPage> LoadPageAsync(BinkoDbContext db, string? search, SkillLevel? level, string? tag,
        string? category, int pageSize, IdeaCursor? after, CancellationToken cancellationToken)
    {
        var ideas = db.Ideas.AsNoTracking();
        if (level is { } l)
            ideas = ideas.Where(i => i.Difficulty == l);
        if (tag is not null)
            ideas = ideas.Where(i => i.Tags.Contains(tag));
        if (category is not null)
            ideas = ideas.Where(i => i.Category == category);

        if (search is null)
        {
            if (after is { AfterId: var afterId })
                ideas = ideas.Where(i => i.Id.CompareTo(afterId) > 0);
            var rows = await ideas.OrderBy(i => i.Id).Take(pageSize + 1).Select(Projection).ToListAsync(cancellationToken);
            var more = rows.Count > pageSize;
            var items = rows.Take(pageSize).ToList();
            return new IdeaPage(items, more ? new IdeaCursor(items[^1].Id, null).Encode() : null);
        }

        // The tsquery is built inside the expressions so that EF translates it (websearch_to_tsquery) on the server.
        var ranked = ideas.Where(i => i.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", search)))
            .Select(i => new { Idea = i, Rank = i.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", search)) });
        if (after is { Rank: { } rank, AfterId: var id })
            ranked = ranked.Where(r => r.Rank < rank || (r.Rank == rank && r.Idea.Id.CompareTo(id) > 0));
        var hits = await ranked.OrderByDescending(r => r.Rank).ThenBy(r => r.Idea.Id).Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var hasMore = hits.Count > pageSize;
        var page = hits.Take(pageSize).ToList();
        return new IdeaPage([.. page.Select(h => IdeaResponse.From(h.Idea))],
            hasMore ? new IdeaCursor(page[^1].Idea.Id, page[^1].Rank).Encode() : null);
    }

    public static async Task<Results<Ok<IdeaResponse>, ProblemHttpResult>> GetIdea(
        Guid id, BinkoDbContext db, HybridCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        IdeaResponse idea;
        try
        {
            // Only ideas that exist are stored (HybridCache stores no entry when its factory throws): a miss stored for
            // every id anyone cares to try would grow without end.
            idea = await cache.GetOrCreateAsync($"ideas:one:{id}",
                async token => await db.Ideas.AsNoTracking().Where(i => i.Id == id).Select(Projection).SingleOrDefaultAsync(token)
                    ?? throw new IdeaNotFoundException(),
                CacheEntries.Catalog, tags: [CacheTag], cancellationToken: cancellationToken);
        }
        catch (IdeaNotFoundException)
        {
            return ApiProblems.NotFound($"No idea has id {id}.");
        }
        response.SetETag(idea.Version);
        return TypedResults.Ok(idea);
    }

    public static async Task<Results<Created<IdeaResponse>, ProblemHttpResult>> CreateIdea(
        IdeaRequest request, BinkoDbContext db, CacheInvalidator invalidator, HybridCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var idea = NewIdea(request);
        db.Ideas.Add(idea);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (IsSlugClash(exception))
        {
            return ApiProblems.Conflict($"An idea with the slug '{idea.Slug}' exists already; choose another title.");
        }

        await invalidator.InvalidateAsync(cache, CacheTag, cancellationToken);
        response.SetETag(idea.Version);
        return TypedResults.Created($"/api/v1/ideas/{idea.Id}", IdeaResponse.From(idea));
    }

    public static async Task<Results<Ok<IdeaResponse>, ProblemHttpResult>> UpdateIdea(
        Guid id, IdeaRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        BinkoDbContext db, CacheInvalidator invalidator, HybridCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
            return ApiProblems.PreconditionRequired();
        var idea = await db.Ideas.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (idea is null)
            return ApiProblems.NotFound($"No idea has id {id}.");
        var anyVersion = ifMatch.Trim() == "*";
        if (!anyVersion && (!EntityTags.TryParseIfMatch(ifMatch, out var expected) || expected != idea.Version))
            return ApiProblems.PreconditionFailed("The idea has changed since that version; GET it again and retry.");

        Apply(request, idea);
        idea.UpdatedAt = DateTimeOffset.UtcNow;
        try
        {
            // The UPDATE carries WHERE xmin = <version read>, so a write that slipped in since is detected.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiProblems.PreconditionFailed("The idea has changed since that version; GET it again and retry.");
        }

        await invalidator.InvalidateAsync(cache, CacheTag, cancellationToken);
        response.SetETag(idea.Version);
        return TypedResults.Ok(IdeaResponse.From(idea));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteIdea(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch,
        BinkoDbContext db, CacheInvalidator invalidator, HybridCache cache, CancellationToken cancellationToken)
    {
        var ideas = db.Ideas.Where(i => i.Id == id);
        var conditional = !string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim() != "*";
        if (conditional)
        {
            if (!EntityTags.TryParseIfMatch(ifMatch, out var expected))
                return ApiProblems.PreconditionFailed("If-Match does not name a version of this idea.");
            ideas = ideas.Where(i => i.Version == expected);
        }

        if (await ideas.ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return conditional && await db.Ideas.AnyAsync(i => i.Id == id, cancellationToken)
                ? ApiProblems.PreconditionFailed("The idea has changed since that version; GET it again and retry.")
                : ApiProblems.NotFound($"No idea has id {id}.");
        }

        await invalidator.InvalidateAsync(cache, CacheTag, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<BulkIdeasResponse>, ValidationProblem, ProblemHttpResult>> BulkCreateIdeas(
        BulkIdeasRequest request, BinkoDbContext db, CacheInvalidator invalidator, HybridCache cache, CancellationToken cancellationToken)
    {
        var ideas = request.Items!.Select(NewIdea).ToList();

        var errors = new Dictionary<string, string[]>();
        var firstBySlug = new Dictionary<string, int>();
        for (var i = 0; i < ideas.Count; i++)
        {
            if (!firstBySlug.TryAdd(ideas[i].Slug, i))
                errors[$"items[{i}].title"] = [$"Makes the same slug '{ideas[i].Slug}' as items[{firstBySlug[ideas[i].Slug]}]."];
        }
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);

        var slugs = firstBySlug.Keys.ToList();
        var taken = await db.Ideas.Where(i => slugs.Contains(i.Slug)).Select(i => i.Slug).ToListAsync(cancellationToken);
        if (taken.Count > 0)
        {
            var items = string.Join(", ", taken.Order().Select(slug => $"items[{firstBySlug[slug]}] ('{slug}')"));
            return ApiProblems.Conflict($"These ideas have slugs that exist already: {items}. Nothing was stored.");
        }

        // One SaveChanges is one transaction: every idea is stored, or none is.
        db.Ideas.AddRange(ideas);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (IsSlugClash(exception))
        {
            return ApiProblems.Conflict("Another write took one of these slugs meanwhile. Nothing was stored.");
        }

        await invalidator.InvalidateAsync(cache, CacheTag, cancellationToken);
        return TypedResults.Created((string?)null, new BulkIdeasResponse([.. ideas.Select(IdeaResponse.From)]));
    }

    private static readonly System.Linq.Expressions.Expression<Func<Idea, IdeaResponse>> Projection = i =>
        new IdeaResponse(i.Id, i.Slug, i.Title, i.Summary, i.Difficulty, i.Category, i.Tags, i.Skills,
            i.EstimatedHours, i.CreatedAt, i.UpdatedAt, i.Version);

    private static Idea NewIdea(IdeaRequest request)
    {
        var idea = new Idea
        {
            Slug = Slugs.FromTitle(request.Title!),
            Title = "",
            Summary = "",
            Category = "",
        };
        Apply(request, idea);
        return idea;
    }

    /// <summary>Copies what a client may set; the validation filter has already checked the request.</summary>
    private static void Apply(IdeaRequest request, Idea idea)
    {
        idea.Title = request.Title!.Trim();
        idea.Summary = request.Summary!.Trim();
        idea.Difficulty = request.Difficulty!.Value;
        idea.Category = request.Category!;
        idea.Tags = Normalize(request.Tags);
        idea.Skills = Normalize(request.Skills);
        idea.EstimatedHours = request.EstimatedHours!.Value;
    }

    internal static List<string> Normalize(List<string>? items) =>
        items is null ? [] : [.. items.Select(item => item.Trim().ToLowerInvariant()).Distinct()];

    internal static bool TryParseLevel(string text, out SkillLevel level)
    {
        (var known, level) = text switch
        {
            "beginner" => (true, SkillLevel.Beginner),
            "intermediate" => (true, SkillLevel.Intermediate),
            "advanced" => (true, SkillLevel.Advanced),
            _ => (false, default),
        };
        return known;
    }

    private sealed class IdeaNotFoundException : Exception;

    private static bool IsSlugClash(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: SlugIndex };
}
