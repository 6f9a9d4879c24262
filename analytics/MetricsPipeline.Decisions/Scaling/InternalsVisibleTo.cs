using System.Runtime.CompilerServices;

// The loss window's exact forgetting and its checkpoint are tested directly (WindowMeanTests), not only through a policy.
[assembly: InternalsVisibleTo("MetricsPipeline.Decisions.Tests")]
