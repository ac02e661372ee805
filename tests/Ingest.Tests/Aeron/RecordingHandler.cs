namespace Edge.Ingest.Tests.Aeron;

/// <summary>Records what the receiver reports; read from the test thread under a lock.</summary>
internal sealed class RecordingHandler : IAeronMessageHandler
{
    private readonly Lock _lock = new();
    private readonly List<long> _sequences = [];
    private readonly List<int> _lengths = [];
    private readonly List<int> _sessions = [];
    private readonly List<string> _events = [];
    private readonly List<(AeronImageInfo Image, AeronImageEndReason Reason)> _unavailable = [];
    private readonly List<AeronImageInfo> _available = [];
    private readonly List<AeronSetupRefusal> _refusals = [];
    private int _corrupt;
    private int _feedUps;
    private int _feedDowns;
    private int _batchEnds;
    private int _messagesAtLastBatchEnd;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sequences.Count;
            }
        }
    }

    public int Corrupt
    {
        get
        {
            lock (_lock)
            {
                return _corrupt;
            }
        }
    }

    public int FeedUps
    {
        get
        {
            lock (_lock)
            {
                return _feedUps;
            }
        }
    }

    public int FeedDowns
    {
        get
        {
            lock (_lock)
            {
                return _feedDowns;
            }
        }
    }

    /// <summary>How many times the receiver ended a batch, and how many messages had arrived at the last end.</summary>
    public (int BatchEnds, int MessagesAtLastEnd) Batches
    {
        get
        {
            lock (_lock)
            {
                return (_batchEnds, _messagesAtLastBatchEnd);
            }
        }
    }

    public long[] Sequences(int? sessionId = null)
    {
        lock (_lock)
        {
            var result = new List<long>();
            for (var i = 0; i < _sequences.Count; i++)
            {
                if (sessionId is null || _sessions[i] == sessionId)
                {
                    result.Add(_sequences[i]);
                }
            }

            return [.. result];
        }
    }

    public int[] Lengths()
    {
        lock (_lock)
        {
            return [.. _lengths];
        }
    }

    public string[] Events()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    public AeronImageInfo[] Available()
    {
        lock (_lock)
        {
            return [.. _available];
        }
    }

    public (AeronImageInfo Image, AeronImageEndReason Reason)[] Unavailable()
    {
        lock (_lock)
        {
            return [.. _unavailable];
        }
    }

    public AeronSetupRefusal[] Refusals()
    {
        lock (_lock)
        {
            return [.. _refusals];
        }
    }

    public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header)
    {
        var ok = TestMessages.TryCheck(message, out var sequence);
        lock (_lock)
        {
            if (!ok)
            {
                _corrupt++;
            }

            _sequences.Add(sequence);
            _lengths.Add(message.Length);
            _sessions.Add(header.SessionId);
        }
    }

    public void OnBatchEnd()
    {
        lock (_lock)
        {
            _batchEnds++;
            _messagesAtLastBatchEnd = _sequences.Count;
        }
    }

    public void OnImageAvailable(AeronImageInfo image)
    {
        lock (_lock)
        {
            _available.Add(image);
            _events.Add($"available {image.SessionId}");
        }
    }

    public void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position)
    {
        lock (_lock)
        {
            _unavailable.Add((image, reason));
            _events.Add($"unavailable {image.SessionId} {reason}");
        }
    }

    public void OnFeedUp()
    {
        lock (_lock)
        {
            _feedUps++;
            _events.Add("feed up");
        }
    }

    public void OnSetupRefused(AeronSetupRefusal refusal)
    {
        lock (_lock)
        {
            _refusals.Add(refusal);
        }
    }

    public void OnFeedDown()
    {
        lock (_lock)
        {
            _feedDowns++;
            _events.Add("feed down");
        }
    }
}
