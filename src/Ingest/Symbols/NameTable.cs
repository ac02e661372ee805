using System.Collections.Concurrent;
using System.Text;

namespace Edge.Ingest.Symbols;

/// <summary>
/// Interns names (symbols, venues) to small dense integer ids, so the hot path indexes arrays instead of
/// hashing strings. The ingest thread finds and adds names from UTF-8 spans, without a lock and without allocating
/// once a name is known; sessions may add a name too (<see cref="GetOrAddShared"/>: a symbol subscribed before its
/// first price). Additions are serialized by a lock that the ingest thread takes only for a name it has never seen,
/// and a session holds only for one insert. Any thread can look a name up by string or id. Ids start at 0 and never
/// change or get reused. The table is capped, so a hostile or broken upstream cannot grow it without bound.
/// </summary>
public sealed class NameTable
{
    /// <summary>Returned by <see cref="GetOrAdd"/> when the table is full.</summary>
    public const int Full = -1;

    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, int> _idsByName = new(StringComparer.Ordinal);
    private readonly Lock _addLock = new();

    // Open addressing; the mask is the length - 1 (one field, so a reader never pairs an old array with a new mask).
    // A rehash publishes a new array and never touches the old one again: a reader on the old one at worst misses a
    // new name and looks again under the lock.
    private volatile int[] _slots;
    private volatile NameEntry[] _entries;
    private volatile int _count;

    public NameTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _entries = new NameEntry[Math.Min(capacity, 64)];
        _slots = NewSlots(64);
    }

    /// <summary>How many names are interned; ids run from 0 to Count - 1.</summary>
    public int Count => _count;

    public int Capacity => _capacity;

    /// <summary>
    /// The id of <paramref name="utf8"/>, adding it if new: the ingest thread's call (lock-free and allocation-free for
    /// a known name). The caller has validated the bytes (see SymbolRules). Returns <see cref="Full"/> when a new name
    /// would exceed the capacity.
    /// </summary>
    public int GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var id = Probe(utf8, hash);
        if (id >= 0)
        {
            return id;
        }

        lock (_addLock)
        {
            id = Probe(utf8, hash);
            return id >= 0 ? id : Add(utf8, hash);
        }
    }

    /// <summary>
    /// The id of <paramref name="name"/>, adding it if new while the table holds fewer than <paramref name="limit"/>
    /// names (else <see cref="Full"/>): for any thread but the ingest thread (it allocates). The caller has validated
    /// the name (see SymbolRules).
    /// </summary>
    public int GetOrAddShared(string name, int limit)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = Find(name);
        if (id >= 0)
        {
            return id;
        }

        var utf8 = Encoding.UTF8.GetBytes(name);
        var hash = Hash(utf8);
        lock (_addLock)
        {
            id = Probe(utf8, hash);
            if (id >= 0)
            {
                return id;
            }

            return _count >= limit ? Full : Add(utf8, hash);
        }
    }

    /// <summary>The id of a name, or -1 when it is unknown. Any thread.</summary>
    public int Find(string name) => _idsByName.TryGetValue(name, out var id) ? id : -1;

    /// <summary>The name of an id. Any thread; the id must come from this table.</summary>
    public string Name(int id) => _entries[id].Name;

    /// <summary>The UTF-8 bytes of an id's name (do not modify). Any thread.</summary>
    public byte[] Utf8(int id) => _entries[id].Utf8;

    /// <summary>The id of a name by its bytes, or -1 when this thread's view of the table does not hold it.</summary>
    private int Probe(ReadOnlySpan<byte> utf8, int hash)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var id = Volatile.Read(ref slots[slot]);
            if (id < 0)
            {
                return -1;
            }

            // Read after the slot: an id seen in a slot was written to the entries published before it.
            if (_entries[id].Utf8.AsSpan().SequenceEqual(utf8))
            {
                return id;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Adds a name the table does not hold. Under the add lock.</summary>
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

        var slots = _slots;
        if ((id + 1) * 2 > slots.Length)
        {
            slots = Rehash(slots.Length * 2, entries, id);
            _slots = slots;
        }

        var mask = slots.Length - 1;
        var slot = hash & mask;
        while (slots[slot] >= 0)
        {
            slot = (slot + 1) & mask;
        }

        Volatile.Write(ref slots[slot], id);
        _idsByName[name] = id;
        // Publish last: a reader that sees the new count finds the name by string and by id.
        _count = id + 1;
        return id;
    }

    private static int[] Rehash(int size, NameEntry[] entries, int count)
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

        return slots;
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
