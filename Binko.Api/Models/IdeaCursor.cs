using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace Binko.Api.Models;

/// <summary>
/// Where a catalog page ends. Browsing is keyset pagination on id (UUIDv7, so later inserts sort after existing rows
/// and a walk neither repeats nor skips); search is keyset on (rank descending, id), with the rank kept as its exact
/// bit pattern. On the wire it is opaque base64url: a kind byte, then the rank (search only) and the id.
/// </summary>
public readonly record struct IdeaCursor(Guid AfterId, float? Rank)
{
    private const byte ByIdKind = 1;
    private const byte ByRankKind = 2;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[21];
        var length = 1;
        if (Rank is { } rank)
        {
            bytes[0] = ByRankKind;
            BinaryPrimitives.WriteInt32BigEndian(bytes[1..], BitConverter.SingleToInt32Bits(rank));
            length += 4;
        }
        else
        {
            bytes[0] = ByIdKind;
        }
        AfterId.TryWriteBytes(bytes[length..], bigEndian: true, out _);
        return WebEncoders.Base64UrlEncode(bytes[..(length + 16)]);
    }

    /// <summary>Reads a cursor made by <see cref="Encode"/> for the same kind of listing (search or not).</summary>
    public static bool TryDecode(string text, bool search, out IdeaCursor cursor)
    {
        cursor = default;
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!search && bytes is [ByIdKind, ..] && bytes.Length == 17)
        {
            cursor = new IdeaCursor(new Guid(bytes.AsSpan(1), bigEndian: true), null);
            return true;
        }
        if (search && bytes is [ByRankKind, ..] && bytes.Length == 21)
        {
            var rank = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
            if (!float.IsFinite(rank))
                return false;
            cursor = new IdeaCursor(new Guid(bytes.AsSpan(5), bigEndian: true), rank);
            return true;
        }
        return false;
    }
}
