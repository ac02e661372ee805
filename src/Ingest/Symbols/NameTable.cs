using System.Collections.Concurrent;
using System.Text;

namespace Edge.Ingest.Symbols;

/// <summary>
/// Interns names (symbols, venues) to small dense integer ids, so the hot path indexes arrays instead of
/// hashing strings. One writer (the ingest thread) adds names from UTF-8 spans without allocating once a name
/// is known; any thread can look a name up by string or id. Ids start at 0 and never change or get reused.
/// The table is capped, so a hostile or broken upstream cannot grow it without bound.
/// </summary>
public sealed class NameTable
{
    /// <summary>Returned by <see cref="GetOrAdd"/> when the table is full.</summary>
    public const int Full = -1;

    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, int> _idsByName = new(StringComparer.Ordinal);
    private int[] _slots;
    private int _mask;
    private volatile NameEntry[] _entries;
    private volatile int _count;

    public NameTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _entries = new NameEntry[Math.Min(capacity, 64)];
        _slots = NewSlots(64);
        _mask = 63;
    }

    /// <summary>How many names are interned; ids run from 0 to Count - 1.</summary>
    public int Count => _count;

    public int Capacity => _capacity;

    /// <summary>
    /// The id of <paramref name="utf8"/>, adding it if new. Writer thread only. The caller has validated the
    /// bytes (see SymbolRules). Returns <see cref="Full"/> when a new name would exceed the capacity.
    /// </summary>
    public int GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var slot = hash & _mask;
        var entries = _entries;
        while (true)
        {
            var id = _slots[slot];
            if (id < 0)
            {
                break;
            }

            if (entries[id].Utf8.AsSpan().SequenceEqual(utf8))
            {
                return id;
            }

            slot = (slot + 1) & _mask;
        }

        return Add(utf8, hash);
    }

    /// <summary>The id of a name, or -1 when it is unknown. Any thread.</summary>
    public int Find(string name) => _idsByName.TryGetValue(name, out var id) ? id : -1;

    /// <summary>The name of an id. Any thread; the id must come from this table.</summary>
    public string Name(int id) => _entries[id].Name;

    /// <summary>The UTF-8 bytes of an id's name (do not modify). Any thread.</summary>
    public byte[] Utf8(int id) => _entries[id].Utf8;

    private int Add(ReadOnlySpan<byte> utf8, int hash)
    {
        var id = _count;
        if (id == _capacity)
        {
            return Full;
        }

        var entries = _entries;
        if (id == entries.Length)
        {
            // Copy-on-grow: readers keep using the old array, which still holds every id they can know of.
            var grown = new NameEntry[Math.Min(_capacity, entries.Length * 2)];
            Array.Copy(entries, grown, entries.Length);
            entries = grown;
        }

        var bytes = utf8.ToArray();
        var name = Encoding.UTF8.GetString(bytes);
        entries[id] = new NameEntry(name, bytes);
        _entries = entries;

        if ((id + 1) * 2 > _slots.Length)
        {
            Rehash(_slots.Length * 2, entries, id);
        }

        var slot = hash & _mask;
        while (_slots[slot] >= 0)
        {
            slot = (slot + 1) & _mask;
        }

        _slots[slot] = id;
        _idsByName[name] = id;
        // Publish last: a reader that sees the new count finds the name by string and by id.
        _count = id + 1;
        return id;
    }

    private void Rehash(int size, NameEntry[] entries, int count)
    {
        var slots = NewSlots(size);
        var mask = size - 1;
        for (var id = 0; id < count; id++)
        {
            var slot = Hash(entries[id].Utf8) & mask;
            while (slots[slot] >= 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = id;
        }

        _slots = slots;
        _mask = mask;
    }

    private static int[] NewSlots(int size)
    {
        var slots = new int[size];
        Array.Fill(slots, -1);
        return slots;
    }

    /// <summary>FNV-1a: short names, no allocation, good enough spread for an open-addressed table.</summary>
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private readonly record struct NameEntry(string Name, byte[] Utf8);
}
