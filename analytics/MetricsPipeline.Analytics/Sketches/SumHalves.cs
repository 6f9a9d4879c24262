using System.Runtime.CompilerServices;

namespace MetricsPipeline.Analytics.Sketches;

/// <summary>
/// The two halves of <see cref="DDSketch"/>'s running sum, [0] for values at even positions of the insertion order and
/// [1] for odd ones. An inline array so the halves are guaranteed adjacent and indexable by the count's parity.
/// </summary>
[InlineArray(2)]
internal struct SumHalves
{
    private double _element;
}
