using System.Text;
using Edge.Ingest.Symbols;

namespace Edge.Ingest.Tests.Symbols;

public sealed class NameTableTests
{
    [Test]
    public void Interns_names_to_dense_ids_that_never_change()
    {
        var table = new NameTable(1000);
        var ids = new int[300];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = table.GetOrAdd(Encoding.UTF8.GetBytes($"SYM{i}/USD"));
        }

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.That(ids[i], Is.EqualTo(i));
            Assert.That(table.GetOrAdd(Encoding.UTF8.GetBytes($"SYM{i}/USD")), Is.EqualTo(i), "a known name keeps its id after the table grew");
            Assert.That(table.Find($"SYM{i}/USD"), Is.EqualTo(i));
            Assert.That(table.Name(i), Is.EqualTo($"SYM{i}/USD"));
            Assert.That(table.Utf8(i), Is.EqualTo(Encoding.UTF8.GetBytes($"SYM{i}/USD")));
        }

        Assert.That(table.Count, Is.EqualTo(300));
        Assert.That(table.Find("NOPE"), Is.EqualTo(-1));
    }

    [Test]
    public void Refuses_new_names_past_its_capacity_but_still_finds_known_ones()
    {
        var table = new NameTable(2);
        Assert.That(table.GetOrAdd("A"u8), Is.EqualTo(0));
        Assert.That(table.GetOrAdd("B"u8), Is.EqualTo(1));

        Assert.That(table.GetOrAdd("C"u8), Is.EqualTo(NameTable.Full));
        Assert.That(table.GetOrAdd("B"u8), Is.EqualTo(1));
        Assert.That(table.Count, Is.EqualTo(2));
    }

    [Test]
    public void Known_names_are_found_without_allocating()
    {
        var table = new NameTable(100);
        var name = "EUR/USD"u8.ToArray();
        table.GetOrAdd(name);
        table.GetOrAdd(name);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            table.GetOrAdd(name);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    [Test]
    public void Readers_on_other_threads_see_every_name_the_writer_added()
    {
        var table = new NameTable(20_000);
        using var done = new CancellationTokenSource();
        var mismatches = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var count = table.Count;
                for (var id = Math.Max(0, count - 50); id < count; id++)
                {
                    if (table.Find(table.Name(id)) != id)
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });

        for (var i = 0; i < 20_000; i++)
        {
            table.GetOrAdd(Encoding.UTF8.GetBytes("S" + i));
        }

        done.Cancel();
        Assert.That(reader.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(mismatches, Is.EqualTo(0));
    }
}
