using System.Text;

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

    [Test]
    public void Sessions_and_the_ingest_thread_adding_at_once_give_each_name_one_id()
    {
        // The ingest thread adds S0..S4999 while four session threads add P0..P999 and some S names too.
        var table = new NameTable(20_000);
        using var start = new Barrier(5);
        var ingest = Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 5_000; i++)
            {
                table.GetOrAdd(Encoding.UTF8.GetBytes("S" + i));
            }
        });
        var sessions = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 1_000; i++)
            {
                table.GetOrAddShared("P" + ((i + (t * 250)) % 1_000), 20_000);
                table.GetOrAddShared("S" + (i * 5), 20_000);
            }
        })).ToArray();

        Assert.That(Task.WaitAll([ingest, .. sessions], TimeSpan.FromSeconds(60)), Is.True);
        Assert.That(table.Count, Is.EqualTo(6_000), "5000 S names and 1000 P names, each once");
        for (var id = 0; id < table.Count; id++)
        {
            Assert.That(table.Find(table.Name(id)), Is.EqualTo(id));
            Assert.That(table.GetOrAdd(table.Utf8(id)), Is.EqualTo(id), "the ingest thread finds names sessions added");
        }
    }

    [Test]
    public void A_session_adds_a_name_only_below_its_limit_and_finds_known_ones_above_it()
    {
        var table = new NameTable(10);
        table.GetOrAdd("A"u8);
        table.GetOrAdd("B"u8);

        Assert.That(table.GetOrAddShared("C", 3), Is.EqualTo(2));
        Assert.That(table.GetOrAddShared("D", 3), Is.EqualTo(NameTable.Full));
        Assert.That(table.GetOrAddShared("A", 3), Is.EqualTo(0));
        Assert.That(table.GetOrAdd("D"u8), Is.EqualTo(3), "the feed may still add past a session's limit");
    }
}
