namespace Edge.Ingest.Concurrency;

/// <summary>
/// What a duty loop does after each pass, given the work that pass did (Agrona's IdleStrategy). Implementations are
/// structs passed as a type parameter (<c>where TIdle : struct, IIdleStrategy</c>): the JIT compiles the loop once per
/// strategy and inlines <see cref="Idle"/>, so choosing a strategy costs no interface call and no branch per pass.
/// </summary>
internal interface IIdleStrategy
{
    /// <summary>After a pass that did <paramref name="workCount"/> units of work (negative: the pass failed).</summary>
    void Idle(int workCount);
}
